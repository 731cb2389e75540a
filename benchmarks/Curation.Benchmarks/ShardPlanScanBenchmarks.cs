using System.Text;
using BenchmarkDotNet.Attributes;
using Curation.IO.Shards;

namespace Curation.Benchmarks;

/// <summary>
/// The planning pass of <c>curate run --tasks N</c> over one 64 MB CSV file (one row in five with quoted cells over
/// several lines and doubled quotes), three cuts wanted: SHA-256 alone (what every pass does), the JSON Lines pass
/// (line feeds) and the CSV/TSV pass (row starts, following quotes and delimiters) over the same bytes, read from the
/// page cache. Each returns the last cut's offset.
/// </summary>
public class ShardPlanScanBenchmarks
{
    private const long FileBytes = 64L << 20;

    private static readonly string[] Words = ["the", "model", "answer", "data", "token", "ünïcode", "quick", "brown", "fox", "jumps", "über", "lazy", "dog", "a", "of", "and"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"curation-benchmarks-{Environment.ProcessId}");
    private string _path = string.Empty;
    private long[] _wanted = [];

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_folder);
        _path = Path.Combine(_folder, "rows.csv");
        var random = new Random(17);
        long rows = 0;
        using (var file = new StreamWriter(_path, false, new UTF8Encoding(false), 1 << 20))
        {
            file.Write("question,answer\n");
            while (file.BaseStream.Length < FileBytes)
            {
                var words = string.Join(' ', Enumerable.Range(0, random.Next(20, 120)).Select(_ => Words[random.Next(Words.Length)]));
                file.Write(rows % 5 == 0
                    ? $"\"Question {rows}: \"\"{words[..(words.Length / 3)]}\"\"\nand more\",\"{words},\nsecond line\r\nthird\"\n"
                    : $"Question {rows}: {words[..(words.Length / 3)]},{words}\n");
                rows++;
            }
        }

        var bytes = new FileInfo(_path).Length;
        _wanted = [bytes / 4, bytes / 2, bytes * 3 / 4];
        Console.WriteLine($"// rows.csv: {rows} rows, {bytes} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Benchmark(Baseline = true)]
    public long HashOnly() => SequentialScan.Read(_path, refuseCompressed: true, (_, _) => { })!.Value.Bytes;

    [Benchmark]
    public long JsonLinesPass() => LineCuts.Scan(_path, _wanted)!.Cuts[^1].Offset;

    [Benchmark]
    public long CsvPass() => CsvRowCuts.Scan(_path, ",", _wanted)!.Cuts[^1].Offset;
}
