using System.IO.Compression;
using Curation.Core.Config;
using Curation.IO.Compression;
using Curation.IO.Inputs;
using Curation.IO.Readers;

namespace Curation.IO.Diagnosis;

/// <summary>
/// A one-line hint for a file whose records were (nearly) all rejected when read: what about the file itself is
/// probably wrong and how to fix it, from a look at its first bytes or its Parquet schema. Best effort and quiet:
/// null when nothing stands out or the file cannot be looked at.
/// </summary>
public static class InputDiagnosis
{
    /// <summary>How much of the (decompressed) start of a text file is looked at.</summary>
    private const int HeadBytes = 64 * 1024;

    /// <summary>
    /// Explains why <paramref name="path"/>, read with <paramref name="options"/>, gave no usable records, e.g.
    /// "looks ';'-delimited: set delimiter: ';' on this input" or "the file is UTF-16 (LE) encoded; curate reads
    /// UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8". Null when there is nothing to say.
    /// </summary>
    public static string? Explain(string path, InputOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!InputFileType.TryFromPath(path, out var type))
        {
            return null;
        }

        try
        {
            if (!FileHead.HasBytes(path))
            {
                return null;
            }

            if (type.Kind == InputFileKind.Parquet)
            {
                return ParquetShapeCheck.Explain(path, options);
            }

            var head = ReadHead(path);
            return TextEncodingSniffer.Explain(head) ?? type.Kind switch
            {
                InputFileKind.Csv or InputFileKind.Tsv =>
                    DelimiterSniffer.Explain(head, CsvDelimiter.Resolve(options.Delimiter, type.Kind == InputFileKind.Tsv)),
                InputFileKind.JsonLines => JsonLayoutSniffer.ExplainLines(head, options),
                _ => JsonLayoutSniffer.ExplainDocument(head, options),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or Core.CurationException)
        {
            return null;
        }
    }

    /// <summary>The first bytes of the content, decompressed when the file is gzip or zstd; what could be read of a corrupt stream.</summary>
    private static byte[] ReadHead(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var signature = new byte[CompressionSignature.Length];
        var count = file.ReadAtLeast(signature, signature.Length, throwOnEndOfStream: false);
        file.Position = 0;
        using var content = CompressionSignature.Detect(signature.AsSpan(0, count)) switch
        {
            CompressionKind.Gzip => new GZipStream(file, CompressionMode.Decompress, leaveOpen: true),
            CompressionKind.Zstd => new ZstdSharp.DecompressionStream(file, leaveOpen: true),
            _ => (Stream)file,
        };
        var buffer = new byte[HeadBytes];
        var read = 0;
        try
        {
            while (read < buffer.Length && content.Read(buffer, read, buffer.Length - read) is var n and > 0)
            {
                read += n;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ZstdSharp.ZstdException)
        {
            // A corrupt tail: what came before it is still worth a look.
        }

        return buffer[..read];
    }
}
