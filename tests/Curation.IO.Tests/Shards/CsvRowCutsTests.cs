using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using Curation.Core;
using Curation.Core.Config;
using Curation.IO.Readers;
using Curation.IO.Shards;
using Curation.TestKit;

namespace Curation.IO.Tests.Shards;

/// <summary>
/// The row starts <see cref="CsvRowScanner"/> finds are those of the reader's own parser, and ranges cut there read
/// the whole file's items: sources, cells and the line numbers of bad rows included.
/// </summary>
public sealed class CsvRowCutsTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static TheoryData<string, string, string> Layouts => new()
    {
        { "quoted line feeds", ",", "q,a\n\"line1\nline2\",x\n\"b\",y\n\"\n\n\",z\n" },
        { "doubled quotes", ",", "q,a\n\"say \"\"hi\"\"\nthere\",x\n\"\"\"\",y\n\"\"\"\n\"\"\",z\n" },
        { "CRLF", ",", "q,a\r\n\"x\r\ny\",1\r\n\r\nz,2\r\n\"\r\n\",3\r\n" },
        { "lone CR", ",", "q,a\r\"x\ry\",1\rz,2\n\"w\r\n\",3\n\r\r\n4,5\n" },
        { "blank lines", ",", "\n\r\nq,a\n\n1,2\n\r\n\n3,4\n\n" },
        { "quote inside an unquoted field", ",", "q,a\nab\"c,1\nx,\"y\nz\"\nd\"e\nf,2\ng,h\"\n\"i\n" },
        { "text after the closing quote", ",", "q,a\n\"ab\"c\"d\ne\",1\nx,2\n\"p\"\"\nq\",3\n\"r\"s\n\"t\n\",4\n" },
        { "unclosed quote at the end", ",", "q,a\n1,2\n\"never closed\n3,4\n" },
        { "no line break at the end", ",", "q,a\n1,\"2\n3\"" },
        { "TSV", "\t", "q\ta\n\"x\ty\nz\"\t1\nb\t\"c\n\"\n" },
        { "delimiter of two characters", "||", "q||a\nx|\"y\nz\"||1\n\"p||q\"||\"r\ns\"\n|||\"t\nu\"\nv||\"w\nx\"\n" },
        { "delimiter that overlaps itself", "aab", "q aab r\nx aaab\"y\nz\"\naab\"c\nd\"\n" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void RowStarts_AreTheParsersRowStarts(string layout, string delimiter, string text)
    {
        foreach (var bom in new[] { false, true })
        {
            var bytes = bom ? [.. Bom, .. Encoding.ASCII.GetBytes(text)] : Encoding.ASCII.GetBytes(text);
            var expected = ParserRowStarts(bytes, delimiter);

            var scanner = new CsvRowScanner(Encoding.ASCII.GetBytes(delimiter));
            var found = new List<(long Offset, long Lines, long Rows)>();
            var skip = bom ? Bom.Length : 0;
            scanner.Feed(bytes.AsSpan(skip), skip, offset => found.Add((offset, scanner.Lines, scanner.Rows)));

            Assert.True(expected.Count > 0, layout);
            Assert.Equal(expected, found.Where(start => start.Rows > 0 && start.Offset < bytes.Length).Select(start => (start.Offset, start.Lines, start.Rows - 1)).ToList());
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void RowStarts_DoNotDependOnHowTheBytesArrive(string layout, string delimiter, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        var whole = new CsvRowScanner(Encoding.ASCII.GetBytes(delimiter));
        var expected = new List<(long, long, long)>();
        whole.Feed(bytes, 0, offset => expected.Add((offset, whole.Lines, whole.Rows)));

        var byteByByte = new CsvRowScanner(Encoding.ASCII.GetBytes(delimiter));
        var found = new List<(long, long, long)>();
        for (var i = 0; i < bytes.Length; i++)
        {
            byteByByte.Feed(bytes.AsSpan(i, 1), i, offset => found.Add((offset, byteByByte.Lines, byteByByte.Rows)));
        }

        Assert.Equal(expected, found);
        Assert.True(found.Count > 0, layout);
    }

    [Theory]
    [InlineData("rows.csv", null)]
    [InlineData("rows.tsv", null)]
    [InlineData("rows.csv", ";;")]
    public async Task RangesAtEveryCut_ReadTheSameItemsAsTheWholeFile(string name, string? delimiter)
    {
        var separator = delimiter ?? (name.EndsWith(".tsv", StringComparison.Ordinal) ? "\t" : ",");
        var content = MixedContent(separator);
        using var temp = new TempFolder();
        var path = temp.Write(name, content);
        var options = new InputOptions { Path = path, Delimiter = delimiter };
        var expected = await ShardReads.ReadAsync([FilePiece.Whole(path, options)]);
        Assert.Contains(expected, item => item.Contains(":row 4 {\"$error\":\"row has 1 cells, header has 2 (line 10)", StringComparison.Ordinal));
        Assert.Contains(expected, item => item.Contains(":row 6 {\"$error\":\"bad quoting near '\\\"closed\\\"then' (line 12)", StringComparison.Ordinal));
        Assert.Equal(15, expected.Count);
        Assert.Contains(expected, item => item.Contains(":row 14 {\"question\":\"\\uFEFFa row", StringComparison.Ordinal));

        var cutAt = new SortedSet<long>();
        for (var wanted = 1L; wanted < content.Length; wanted++)
        {
            var scan = CsvRowCuts.Scan(path, separator, [wanted]);
            Assert.NotNull(scan);
            Assert.Equal(content.Length, scan.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), scan.Sha256);
            if (scan.Cuts.Count == 0)
            {
                continue;
            }

            var cut = Assert.Single(scan.Cuts);
            Assert.True(cut.Offset >= wanted);
            cutAt.Add(cut.Offset);
            FilePiece[] pieces = [new(path, options, 0, cut.Offset, 0), new(path, options, cut.Offset, content.Length, cut.LinesBefore, cut.RowsBefore)];
            Assert.Equal(expected, await ShardReads.ReadAsync(pieces));
        }

        // Every row start after the header, in one plan of as many pieces.
        var all = CsvRowCuts.Scan(path, separator, [.. cutAt])!;
        Assert.Equal(cutAt, all.Cuts.Select(cut => cut.Offset));
        Assert.True(all.Cuts.Count >= 8, $"{all.Cuts.Count} places to cut");
        var bounds = all.Cuts.Prepend(new LineCut(0, 0)).ToList();
        var every = bounds.Select((cut, i) => new FilePiece(path, options, cut.Offset, i + 1 < bounds.Count ? bounds[i + 1].Offset : content.Length, cut.LinesBefore, cut.RowsBefore)).ToList();
        Assert.Equal(expected, await ShardReads.ReadAsync(every));
    }

    [Fact]
    public async Task UnclosedQuote_FailsTheRangeWithTheWholeFilesMessage()
    {
        var content = Encoding.UTF8.GetBytes("q,a\n1,2\n\"x\ny\",3\n4,5\n6,\"never closed\n7,8\n9,10\n");
        using var temp = new TempFolder();
        var path = temp.Write("broken.csv", content);
        var options = new InputOptions { Path = path };
        var whole = await Assert.ThrowsAsync<CurationException>(() => ShardReads.ReadAsync([FilePiece.Whole(path, options)]));
        Assert.Contains("row 4 (line 6): a quoted cell is never closed", whole.Message, StringComparison.Ordinal);

        var scan = CsvRowCuts.Scan(path, ",", [1, 10, 20])!;
        Assert.Equal(3, scan.Cuts.Count);

        // No row starts inside the open quote: the last range holds it and fails as the whole file does.
        Assert.True(scan.Cuts[^1].Offset <= content.AsSpan().IndexOf("6,\""u8));
        var bounds = scan.Cuts.Prepend(new LineCut(0, 0)).ToList();
        var pieces = bounds.Select((cut, i) => new FilePiece(path, options, cut.Offset, i + 1 < bounds.Count ? bounds[i + 1].Offset : content.Length, cut.LinesBefore, cut.RowsBefore)).ToList();
        var ranged = await Assert.ThrowsAsync<CurationException>(() => ShardReads.ReadAsync(pieces));
        Assert.Equal(whole.Message, ranged.Message);
    }

    [Fact]
    public void WideTextByteOrderMarks_CompressedBytesAndOtherDelimiters_AreNotCut()
    {
        using var temp = new TempFolder();
        var utf16 = temp.Write("utf16.csv", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("q,a\n1,2\n3,4\n")]);
        var gzip = temp.Write("packed.csv", [0x1f, 0x8b, 0x08, 0x00, (byte)'\n', (byte)'x', (byte)'\n']);
        var plain = temp.Write("plain.csv", Encoding.UTF8.GetBytes("q§a\n1§2\n3§4\n"));

        Assert.Null(CsvRowCuts.Scan(utf16, ",", [5]));
        Assert.Null(CsvRowCuts.Scan(gzip, ",", [3]));
        Assert.Null(CsvRowCuts.Scan(plain, "§", [5]));
        Assert.NotNull(CsvRowCuts.Scan(plain, ",", [5]));
    }

    // Rows of every kind: a BOM, CRLF, quoted line breaks and delimiters, doubled quotes, blank lines, UTF-8 and an
    // invalid byte, a row starting with U+FEFF (kept: only the file's first bytes are a byte order mark), rows with too
    // few cells and with bad quoting (their errors name lines), no newline at the end.
    private static byte[] MixedContent(string d)
    {
        var text = new StringBuilder();
        text.Append($"question{d}answer\r\n");
        text.Append($"\"What is\r\nCSV?\"{d}\"Comma{d} separated\"\r\n");
        text.Append($"plain{d}row\n\n\n");
        text.Append($"\"say \"\"hi\"\"\"{d}\"multi\nline\nanswer\"\n");
        text.Append($"too few cells\n");
        text.Append($"bad\"quote{d}x\n");
        text.Append($"\"closed\"then{d}\"y\nz\"\n");
        text.Append($"héllo wörld{d}ünïcode ✓\n");
        for (var i = 0; i < 6; i++)
        {
            text.Append($"row {i}{d}\"cell\n{i}\"\n");
        }

        text.Append($"\uFEFFa row that starts with a byte order mark{d}kept\n");
        text.Append($"last{d}\"no newline\"");
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        var invalid = bytes.AsSpan().IndexOf("wörld"u8);
        bytes[invalid + 1] = 0xC3;
        bytes[invalid + 2] = (byte)'X';
        return [.. Bom, .. bytes];
    }

    // Where the reader's own parser starts each row after the header (at a line feed), with the lines and data rows
    // before it: each record's raw text is found in order, blank lines lie between records.
    private static List<(long Offset, long Lines, long Rows)> ParserRowStarts(byte[] bytes, string delimiter)
    {
        var skip = bytes.AsSpan().StartsWith(Bom) ? Bom.Length : 0;
        var text = Encoding.ASCII.GetString(bytes, skip, bytes.Length - skip);
        using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvParser(reader, CsvRowReader.ParserConfiguration(delimiter, _ => { }));
        var records = new List<(int Start, int End, int RawRow)>();
        while (parser.Read())
        {
            var start = text.IndexOf(parser.RawRecord, records.Count > 0 ? records[^1].End : 0, StringComparison.Ordinal);
            Assert.True(start >= 0);
            records.Add((start, start + parser.RawRecord.Length, parser.RawRow));
        }

        var starts = new List<(long, long, long)>();
        for (var p = records[0].End; p < text.Length; p++)
        {
            if (text[p - 1] != '\n' || records.Any(record => record.Start < p && p < record.End))
            {
                continue;
            }

            var before = records.Last(record => record.End <= p);
            var blank = text[before.End..p];
            var lines = before.RawRow + blank.Count(c => c == '\r') + blank.Where((c, i) => c == '\n' && (i == 0 || blank[i - 1] != '\r')).Count();
            starts.Add((p + skip, lines, records.Count(record => record.End <= p) - 1));
        }

        return starts;
    }
}
