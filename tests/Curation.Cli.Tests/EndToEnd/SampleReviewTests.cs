using System.Text.Json.Nodes;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>The sample's reviewed batch (datasets-sample/review): its export matches its store, and the sample run applies it.</summary>
public sealed class SampleReviewTests
{
    private static string SampleStore => Path.Combine(RepositoryPaths.Root, "datasets-sample", "review");

    [Fact]
    public async Task CommittedExport_ReimportedIntoACopyOfTheStore_ChangesNothing()
    {
        using var temp = new TempFolder();
        foreach (var file in new[] { "batches.jsonl", "decisions.jsonl" })
        {
            File.Copy(Path.Combine(SampleStore, file), temp.File(file));
        }

        var before = File.ReadAllBytes(temp.File("decisions.jsonl"));
        var (exitCode, output, error) = await CliRunner.RunAsync("review", "import", Path.Combine(SampleStore, "label-studio-export.json"), "--store", temp.Path);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Contains("0 new, 0 changed, 18 unchanged", output, StringComparison.Ordinal);
        Assert.Contains("verdicts: 12 accept (1 with a corrected answer), 6 reject, 0 without a vote", output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(temp.File("decisions.jsonl")));
    }

    [Fact]
    public async Task SampleRun_RestoresCorrectsAndRejectsAsReviewersDecided()
    {
        using var temp = new TempFolder();

        var (exitCode, output, error) = await CliRunner.RunAsync("run", Path.Combine(RepositoryPaths.Root, "pipelines", "sample.yaml"), "-o", temp.Path);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Matches(@"(?m)^apply-review\s+\d+\s+\d+\s+1\s+ok\s+restored 1 rejected earlier; reviewer-rejected 1", output);
        var kept = File.ReadAllLines(temp.File("data.jsonl")).Select(l => JsonNode.Parse(l)!).ToDictionary(r => r["id"]!.GetValue<string>());
        Assert.Equal("near-dedup/near-duplicate", kept["sup-565746"]["metadata"]!["review"]!["restored_from"]!.GetValue<string>());
        Assert.StartsWith("Yes! Orders to Portugal arrive within 8 working days, and most take 2 or 3.", kept["b5aa59148ed806575f76ef710d4ad447"]["messages"]![1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(4.5, kept["sup-482913"]["metadata"]!["review"]!["rating"]!.GetValue<double>());
        var rejected = File.ReadAllLines(temp.File("rejects.jsonl")).Select(l => JsonNode.Parse(l)!).Single(r => r["rule"]!.GetValue<string>() == "reviewer-rejected");
        Assert.Equal("81573c2d792e8fa0b6e633d099c41c60", rejected["id"]!.GetValue<string>());
        Assert.Equal("rejected by maria@example.org, tom@example.org (1 of 2 votes, tie 1-1, settled as reject): the trial length is not in the product facts", rejected["detail"]!.GetValue<string>());
    }
}
