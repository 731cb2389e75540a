using System.Text.Json;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

public sealed class DedupCommandTests
{
    private static readonly string Paragraph = string.Join(' ', Enumerable.Range(0, 80).Select(i => $"word{i * 7 % 53} token{i}"));

    private static string Line(string id, string answer) =>
        JsonSerializer.Serialize(new { id, messages = new[] { new { role = "user", content = "Explain." }, new { role = "assistant", content = answer } } });

    [Fact]
    public async Task Dedup_RemovesExactAndNearCopies_WritesClustersAndManifest()
    {
        using var temp = new TempFolder();
        temp.Write("in/a.jsonl", string.Join('\n', Line("a", Paragraph), Line("b", "Something else entirely, short and different."), Line("c", Paragraph)) + "\n");
        temp.Write("in/b.jsonl", Line("d", Paragraph.Replace("token40", "changed", StringComparison.Ordinal)) + "\n");

        var (exitCode, output, error) = await CliRunner.RunAsync("dedup", temp.File("in"), "-o", temp.File("out"), "--clusters", "clusters.jsonl");

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Matches(@"(?m)^exact-dedup\s+4\s+3\s+1\s+ok\s+exact-duplicate 1", output);
        Assert.Matches(@"(?m)^near-dedup\s+3\s+2\s+1\s+ok\s+near-duplicate 1", output);
        Assert.Contains("bands", output, StringComparison.Ordinal);
        var kept = File.ReadAllLines(temp.File("out/data.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString());
        Assert.Equal(["a", "b"], kept);
        Assert.Single(File.ReadAllLines(temp.File("out/clusters.jsonl")));
        Assert.True(File.Exists(temp.File("out/manifest.json")));
    }

    [Fact]
    public async Task SaveIndexThenAgainst_RemovesFromNewDataOnlyWhatTheIndexedSetHolds()
    {
        using var temp = new TempFolder();
        temp.Write("eval.jsonl", Line("e1", Paragraph) + "\n");
        temp.Write("train.jsonl", string.Join('\n', Line("t1", Paragraph.Replace("token41", "changed", StringComparison.Ordinal)), Line("t2", "An unrelated training answer about something else.")) + "\n");

        var saved = await CliRunner.RunAsync("dedup", temp.File("eval.jsonl"), "-o", temp.File("eval-out"), "--save-index", "eval.index");
        var (exitCode, output, error) = await CliRunner.RunAsync("dedup", temp.File("train.jsonl"), "-o", temp.File("train-out"), "--against", temp.File("eval-out/eval.index"));

        Assert.True(saved.ExitCode == ExitCodes.Ok, saved.Error);
        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Contains("near-duplicate 1", output, StringComparison.Ordinal);
        var kept = File.ReadAllLines(temp.File("train-out/data.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString());
        Assert.Equal(["t2"], kept);
    }

    [Fact]
    public async Task MemoryBudget_SpillsBandRuns_SameOutputAsWithout()
    {
        using var temp = new TempFolder();
        var lines = Enumerable.Range(0, 40).Select(i => Line($"r{i}", i % 2 == 0 ? Paragraph.Replace($"token{i}", "x", StringComparison.Ordinal) : $"Answer number {i} about topic {i * 13}."));
        temp.Write("in.jsonl", string.Join('\n', lines) + "\n");

        var unbounded = await CliRunner.RunAsync("dedup", temp.File("in.jsonl"), "-o", temp.File("a"));
        var (exitCode, output, error) = await CliRunner.RunAsync("dedup", temp.File("in.jsonl"), "-o", temp.File("b"), "--memory-budget", "2KB");

        Assert.True(unbounded.ExitCode == ExitCodes.Ok, unbounded.Error);
        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Matches(@"memory budget 2KB: LSH band keys spilled to disk in \d+ sorted runs", output);
        Assert.Equal(File.ReadAllBytes(temp.File("a/data.jsonl")), File.ReadAllBytes(temp.File("b/data.jsonl")));
        Assert.Equal(File.ReadAllBytes(temp.File("a/rejects.jsonl")), File.ReadAllBytes(temp.File("b/rejects.jsonl")));
        Assert.InRange(File.ReadAllLines(temp.File("b/data.jsonl")).Length, 21, 30);
    }

    [Fact]
    public async Task Rejects_GoWhereAsked()
    {
        using var temp = new TempFolder();
        temp.Write("in.jsonl", string.Join('\n', Line("a", Paragraph), Line("b", Paragraph)) + "\n");

        var (exitCode, output, error) = await CliRunner.RunAsync("dedup", temp.File("in.jsonl"), "-o", temp.File("out"), "--rejects", "../dropped/dupes.jsonl");

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Single(File.ReadAllLines(temp.File("dropped/dupes.jsonl")));
        Assert.False(File.Exists(temp.File("out/rejects.jsonl")));
        Assert.Contains("dupes.jsonl (1 records)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--threshold", "1.5", "--threshold must be between 0.01 and 1")]
    [InlineData("--keep", "largest", "largest")]
    [InlineData("--keep", "field", "--keep field needs --keep-field")]
    [InlineData("--memory-budget", "plenty", "--memory-budget must be a size such as 1GB")]
    public async Task Dedup_BadOption_ExitsTwoWithTheReason(string option, string value, string expected)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("dedup", "in.jsonl", "-o", "out", option, value);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dedup_UnreadableIndex_IsOneLineWithoutAPositionInTheWrittenPipeline()
    {
        using var temp = new TempFolder();
        temp.Write("in.jsonl", Line("a", Paragraph) + "\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("dedup", temp.File("in.jsonl"), "-o", temp.File("out"), "--against", temp.File("missing.index"));

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("curate dedup: stage 'near-dedup': ", line, StringComparison.Ordinal);
        Assert.Contains("missing.index: cannot read the dedup index", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dedup_MissingOutput_ExitsTwo()
    {
        var (exitCode, _, _) = await CliRunner.RunAsync("dedup", "in.jsonl");

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
    }
}
