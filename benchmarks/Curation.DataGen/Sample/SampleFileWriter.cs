using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Sample;

/// <summary>Turns a laid-out <see cref="SampleFile"/> into the bytes of its file.</summary>
internal static class SampleFileWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static byte[] Bytes(SampleFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var raw = file.Format switch
        {
            RecordFormat.FaqCsv => Faq(file),
            RecordFormat.GlossaryTsv => Glossary(file),
            RecordFormat.Parquet => ParquetRows.Write(file),
            RecordFormat.Alpaca when file.Path.EndsWith(".json", StringComparison.Ordinal) => JsonArray(file),
            _ => JsonLines(file),
        };
        return CompressionOf(file.Path) switch
        {
            Compression.Gzip => Gzip(raw),
            Compression.Zstd => Zstd(raw),
            _ => raw,
        };
    }

    public static Compression CompressionOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(".gz", StringComparison.Ordinal) ? Compression.Gzip
            : path.EndsWith(".zst", StringComparison.Ordinal) ? Compression.Zstd
            : Compression.None;
    }

    private static byte[] JsonLines(SampleFile file)
    {
        using var output = new MemoryStream();
        foreach (var entry in file.Entries)
        {
            var bytes = entry.RawBytes ?? Utf8.GetBytes(entry.RawText ?? file.Serialize(entry.Conversation!, entry.Id, entry.WrongType));
            output.Write(bytes);
            output.WriteByte((byte)'\n');
        }

        return output.ToArray();
    }

    private static byte[] JsonArray(SampleFile file)
    {
        var builder = new JsonBuilder(file.Style);
        builder.BeginArray();
        foreach (var entry in file.Entries)
        {
            RecordSerializer.Write(builder, file.Format, entry.Conversation!, entry.Id, entry.WrongType, file.WriteCategory);
        }

        builder.EndArray();
        return Utf8.GetBytes(builder.ToString() + "\n");
    }

    /// <summary>A spreadsheet export: UTF-8 BOM, CRLF between records, LF inside multi-line cells, RFC 4180 quoting.</summary>
    private static byte[] Faq(SampleFile file)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n", ShouldQuote = args => NeedsQuotes(args.Field, ',') };
        return Delimited(file, config, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), ["question", "answer", "category"]);
    }

    private static byte[] Glossary(SampleFile file)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = "\t", NewLine = "\n", ShouldQuote = args => NeedsQuotes(args.Field, '\t') };
        return Delimited(file, config, Utf8, ["term", "definition", "domain"]);
    }

    /// <summary>RFC 4180: quote a cell holding the delimiter, a quote or any line break (CsvHelper's default only looks for its own newline).</summary>
    private static bool NeedsQuotes(string? field, char delimiter) =>
        field is not null && (field.Contains(delimiter, StringComparison.Ordinal) || field.AsSpan().IndexOfAny('"', '\r', '\n') >= 0);

    private static byte[] Delimited(SampleFile file, CsvConfiguration config, Encoding encoding, string[] header)
    {
        using var output = new MemoryStream();
        using (var writer = new StreamWriter(output, encoding, leaveOpen: true))
        using (var csv = new CsvWriter(writer, config))
        {
            foreach (var name in header)
            {
                csv.WriteField(name);
            }

            csv.NextRecord();
            foreach (var entry in file.Entries)
            {
                var conversation = entry.Conversation!;
                csv.WriteField(conversation.Turns.First(t => t.Role == Roles.User).Content);
                csv.WriteField(conversation.Response);
                csv.WriteField(conversation.Category);
                csv.NextRecord();
            }
        }

        return output.ToArray();
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        var bytes = output.ToArray();

        // The header's OS byte differs between platforms; "unknown" keeps the file identical wherever it is generated.
        bytes[9] = 0xFF;
        return bytes;
    }

    private static byte[] Zstd(byte[] raw)
    {
        using var compressor = new ZstdSharp.Compressor(19);
        return compressor.Wrap(raw).ToArray();
    }
}
