using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Curation.Core;
using Curation.Core.Records;

namespace Curation.IO.Readers;

/// <summary>
/// Reads CSV/TSV (RFC 4180 quoting, quoted cells may span lines) with a required header row. Each data row becomes
/// a JSON object <c>{"header": "cell", ...}</c> of strings, numbered as <see cref="SourceUnit.Row"/> from 1 (the
/// header is not counted, blank lines are skipped). A row that cannot be trusted becomes a <see cref="RowErrorItem"/>.
/// Text is decoded as UTF-8; bytes that are not valid UTF-8 become U+FFFD.
/// </summary>
internal sealed class CsvRowReader
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly UTF8Encoding Utf8 = new(false, false);

    private readonly string _file;
    private readonly string _delimiter;

    public CsvRowReader(string file, string delimiter)
    {
        ArgumentException.ThrowIfNullOrEmpty(delimiter);
        _file = file;
        _delimiter = delimiter;
    }

    public async IAsyncEnumerable<RawItem[]> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var badData = new BadDataTracker();
        using var parser = new CsvParser(text, Configuration(badData), leaveOpen: true);
        if (!await parser.ReadAsync().ConfigureAwait(false))
        {
            yield break;
        }

        var header = ReadHeader(parser, badData);
        await foreach (var batch in ReadRowsAsync(parser, badData, header, rowsBefore: 0, linesBefore: 0, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <summary>
    /// Reads the rows of a range of the file that starts at a row start after the header, numbered on from the rows
    /// and lines before it; the header is read from <paramref name="fileStart"/>, the file from its first byte.
    /// </summary>
    public async IAsyncEnumerable<RawItem[]> ReadRangeAsync(
        Stream fileStart, Stream range, long rowsBefore, long linesBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        JsonEncodedText[] header;
        using (var headerText = new StreamReader(fileStart, Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 12, leaveOpen: true))
        {
            var headerBadData = new BadDataTracker();
            using var headerParser = new CsvParser(headerText, Configuration(headerBadData), leaveOpen: true);
            if (!await headerParser.ReadAsync().ConfigureAwait(false))
            {
                throw new CurationException($"{_file}: no header row: the file changed since the run was planned");
            }

            header = ReadHeader(headerParser, headerBadData);
        }

        // Only the file's first bytes may be a byte order mark.
        using var text = new StreamReader(range, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen: true);
        var badData = new BadDataTracker();
        using var parser = new CsvParser(text, Configuration(badData), leaveOpen: true);
        await foreach (var batch in ReadRowsAsync(parser, badData, header, rowsBefore, linesBefore, cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <summary>How the parser splits rows and cells (what <see cref="Shards.CsvRowScanner"/> follows).</summary>
    internal static CsvConfiguration ParserConfiguration(string delimiter, BadDataFound badDataFound) => new(CultureInfo.InvariantCulture)
    {
        Delimiter = delimiter,
        DetectDelimiter = false,
        IgnoreBlankLines = true,
        Mode = CsvMode.RFC4180,
        BadDataFound = badDataFound,
    };

    private CsvConfiguration Configuration(BadDataTracker badData) => ParserConfiguration(_delimiter, badData.Record);

    private async IAsyncEnumerable<RawItem[]> ReadRowsAsync(
        CsvParser parser, BadDataTracker badData, JsonEncodedText[] header, long rowsBefore, long linesBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var batch = new ItemBatchBuilder();
        using var json = new Utf8JsonWriter(batch, WriterOptions);
        var row = rowsBefore;
        while (await parser.ReadAsync().ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            row++;
            json.Reset(batch);
            WriteRow(parser, header, json, badData, row, linesBefore);
            json.Flush();
            batch.Commit(new SourceRef(_file, row, SourceUnit.Row));
            if (batch.IsFull)
            {
                yield return batch.Flush();
            }
        }

        if (batch.Count > 0)
        {
            yield return batch.Flush();
        }
    }

    private JsonEncodedText[] ReadHeader(CsvParser parser, BadDataTracker badData)
    {
        var names = parser.Record ?? [];
        if (badData.Take() is { } bad)
        {
            throw new CurationException($"{_file}: header (line 1): bad quoting near {Quote(bad)}");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var header = new JsonEncodedText[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            if (!seen.TryAdd(names[i], i + 1))
            {
                throw new CurationException(
                    $"{_file}: header: duplicate column '{names[i]}' (columns {seen[names[i]]} and {i + 1}): expected unique column names");
            }

            header[i] = JsonEncodedText.Encode(names[i], JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        }

        return header;
    }

    private void WriteRow(CsvParser parser, JsonEncodedText[] header, Utf8JsonWriter json, BadDataTracker badData, long row, long linesBefore)
    {
        // CsvHelper reports bad quoting lazily, when a cell is read, so read them all before asking.
        var cells = parser.Record ?? [];
        if (badData.Take() is { } bad)
        {
            if (IsUnterminated(bad))
            {
                throw new CurationException(
                    $"{_file}: row {row} (line {linesBefore + FirstLine(parser, unclosedQuote: true)}): a quoted cell is never closed, so the rest of the file ran into it");
            }

            RowErrorItem.Write(json, $"bad quoting near {Quote(bad)} (line {linesBefore + FirstLine(parser, unclosedQuote: false)}): a quote inside a cell must be doubled, and a quoted cell must end at a delimiter");
            return;
        }

        if (cells.Length != header.Length)
        {
            RowErrorItem.Write(json, $"row has {cells.Length} cells, header has {header.Length} (line {linesBefore + FirstLine(parser, unclosedQuote: false)})");
            return;
        }

        json.WriteStartObject();
        for (var i = 0; i < header.Length; i++)
        {
            json.WriteString(header[i], cells[i]);
        }

        json.WriteEndObject();
    }

    // RawRow is the line the record ends on; a quoted cell may have carried it over several lines. Inside a quote
    // every newline counts at once, including a final one when the quote was never closed.
    private static long FirstLine(CsvParser parser, bool unclosedQuote)
    {
        var raw = parser.RawRecord.AsSpan();
        if (!unclosedQuote)
        {
            raw = raw.TrimEnd("\r\n");
        }

        return parser.RawRow - raw.Count('\n');
    }

    // An opening quote whose quotes do not pair up was never closed: CsvHelper then reads to the end of the file.
    private static bool IsUnterminated(string field)
    {
        if (field.Length == 0 || field[0] != '"')
        {
            return false;
        }

        return field.AsSpan().Count('"') % 2 == 1;
    }

    private static string Quote(string field)
    {
        var flat = field.ReplaceLineEndings(" ");
        return flat.Length <= 40 ? $"'{flat}'" : $"'{flat[..40]}...'";
    }

    /// <summary>Remembers the first malformed cell CsvHelper reports while parsing the current record.</summary>
    private sealed class BadDataTracker
    {
        private string? _field;

        public void Record(BadDataFoundArgs args) => _field ??= args.Field;

        public string? Take()
        {
            var field = _field;
            _field = null;
            return field;
        }
    }
}
