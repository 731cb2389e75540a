using System.Text;
using System.Text.Json;
using Curation.TestKit;
using Parquet;
using Parquet.Serialization;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>Broken inputs through the whole CLI: each gives a named reject or a clear one-line error, and nothing is lost.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task Run_BrokenJsonlLines_AreRejectedByName_AndCountsBalance()
    {
        using var temp = new TempFolder();
        var good = """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}""";
        var lines = new List<byte[]>
        {
            Encoding.UTF8.GetBytes(good),
            Encoding.UTF8.GetBytes("{\"messages\":[{\"role\":\"user\",\"content\":\"cut off"),
            Encoding.UTF8.GetBytes("""{"messages":"not a list"}"""),
            InvalidUtf8Line(),
            Encoding.UTF8.GetBytes("""{"prompt":"Q","completion":""}"""),
        };
        File.WriteAllBytes(temp.File("in.jsonl"), [.. lines.SelectMany(line => line.Append((byte)'\n'))]);

        // Three of five lines cannot be read: more than the default share, so this test allows them all.
        var pipeline = temp.Write("p.yaml", "max_reject_fraction: 1\ninputs: [in.jsonl]\nstages: [normalize, validate]\noutput: {dir: out}\n");

        var (exitCode, output, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        var rejects = File.ReadAllLines(temp.File("out/rejects.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(
            [(2L, "malformed-json"), (3L, "schema"), (4L, "invalid-utf8"), (5L, "empty-turn")],
            rejects.Select(r => (r.GetProperty("source").GetProperty("line").GetInt64(), r.GetProperty("rule").GetString()!)).OrderBy(r => r.Item1));
        Assert.Single(File.ReadAllLines(temp.File("out/data.jsonl")));
        Assert.Contains("ok: read 5, kept 1, rejected 4", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EmptyInputFile_FailsWithOneLineErrorNamingIt()
    {
        using var temp = new TempFolder();
        temp.Write("data/a.jsonl", """{"prompt":"Q","completion":"A"}""" + "\n");
        temp.Write("data/b.jsonl", string.Empty);
        var pipeline = temp.Write("p.yaml", "inputs: [data]\nstages: [normalize]\noutput: {dir: out}\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.Equal(ExitCodes.RunFailed, exitCode);
        var line = Assert.Single(error.Split('\n'), l => l.Contains("b.jsonl", StringComparison.Ordinal));
        Assert.Contains("empty", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CsvWithQuotedMultiLineCells_KeepsCellsWhole_AndNamesRows()
    {
        using var temp = new TempFolder();
        temp.Write("faq.csv", "question,answer\r\n\"Steps, please?\",\"1. Open\r\n2. Click \"\"Save\"\"\"\r\nEmpty?,\r\n");
        var pipeline = temp.Write("p.yaml", "inputs:\n  - path: faq.csv\n    fields: {prompt: question, response: answer}\nstages: [normalize, validate]\noutput: {dir: out}\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        var kept = JsonDocument.Parse(Assert.Single(File.ReadAllLines(temp.File("out/data.jsonl")))).RootElement;
        Assert.Equal("1. Open\n2. Click \"Save\"", kept.GetProperty("messages")[1].GetProperty("content").GetString());
        var reject = JsonDocument.Parse(Assert.Single(File.ReadAllLines(temp.File("out/rejects.jsonl")))).RootElement;
        Assert.Equal("empty-turn", reject.GetProperty("rule").GetString());
        Assert.Equal(2, reject.GetProperty("source").GetProperty("row").GetInt64());
    }

    [Fact]
    public async Task Run_ParquetWithUnexpectedSchema_RejectsEveryRowAsUnknownFormat()
    {
        using var temp = new TempFolder();
        await using (var stream = File.Create(temp.File("metrics.parquet")))
        {
            await ParquetSerializer.SerializeAsync(
                Enumerable.Range(1, 3).Select(i => new MetricRow { UserId = i, Score = i / 2.0 }),
                stream,
                new ParquetOptions());
        }

        var pipeline = temp.Write("p.yaml", "inputs: [metrics.parquet]\nstages: [normalize]\noutput: {dir: out}\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        // Every row rejected is not a clean, empty dataset: the run fails as untrusted and promotes nothing.
        Assert.True(exitCode == ExitCodes.SuspectResult, error);
        Assert.Contains("metrics.parquet: 3 of 3 records (100%) could not be read (unknown-format 3), more than max_reject_fraction 0.5 allows", error, StringComparison.Ordinal);
        Assert.Contains("kept no record", error, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("out/data.jsonl")));
        var rejects = File.ReadAllLines(temp.File("out/rejects.jsonl.incomplete")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1L, 2L, 3L], rejects.Select(r => r.GetProperty("source").GetProperty("row").GetInt64()));
        Assert.All(rejects, r => Assert.Equal("unknown-format", r.GetProperty("rule").GetString()));
        Assert.Contains("user_id", rejects[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(File.ReadAllText(temp.File("out/manifest.json")));
        Assert.Equal("failed: result not trusted", manifest.RootElement.GetProperty("status").GetString());
    }

    private static byte[] InvalidUtf8Line() =>
        [.. Encoding.UTF8.GetBytes("{\"prompt\":\"caf"), 0xE9, .. Encoding.UTF8.GetBytes("\",\"completion\":\"x\"}")];

    private sealed class MetricRow
    {
        [System.Text.Json.Serialization.JsonPropertyName("user_id")]
        public int UserId { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("score")]
        public double Score { get; set; }
    }
}
