using System.Text.Json;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

public sealed class ClassifierCommandTests
{
    private static string Line(int i, bool keep) => JsonSerializer.Serialize(new
    {
        id = $"r{i}",
        messages = new[]
        {
            new { role = "user", content = $"Explain topic {i % 7}." },
            new { role = "assistant", content = keep ? $"Topic {i % 7} works step by step because each part explains the next, for example in a small case." : "BUY NOW cheap click here free bonus" },
        },
        label = keep ? "keep" : "drop",
    });

    [Fact]
    public async Task Train_PrintsHeldOutMetrics_AndTheStageScoresWithTheModel()
    {
        using var temp = new TempFolder();
        temp.Write("labelled.jsonl", string.Join('\n', Enumerable.Range(0, 120).Select(i => Line(i, i % 2 == 0))) + "\n");
        temp.Write("new.jsonl", string.Join('\n', Line(1000, keep: true), Line(1001, keep: false)) + "\n");
        var pipeline = temp.Write("p.yaml", "inputs: [new.jsonl]\nstages:\n  - classifier: { model: quality.zip, threshold: 0.5 }\noutput:\n  dir: out\n");

        var (exitCode, output, error) = await CliRunner.RunAsync("classifier", "train", temp.File("labelled.jsonl"), "-o", temp.File("quality.zip"));
        var run = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Matches(@"120 records \(60 keep, 60 drop\): trained Linear on \d+, held out \d+", output);
        Assert.Matches(@"held-out AUC 1\.000, precision \d\.\d{3}, recall \d\.\d{3}", output);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.Matches(@"(?m)^classifier\s+2\s+1\s+1\s+ok\s+low-quality-score 1", run.Output);
        using var kept = JsonDocument.Parse(File.ReadLines(temp.File("out/data.jsonl")).Single());
        Assert.Equal("r1000", kept.RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}],\"label\":\"maybe\"}", "field 'label' is \"maybe\"; expected keep or drop")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}", "field 'label' is missing")]
    public async Task BadLabels_AreOneLineErrorsNamingTheLine(string line, string expected)
    {
        using var temp = new TempFolder();
        temp.Write("labelled.jsonl", line + "\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("classifier", "train", temp.File("labelled.jsonl"), "-o", temp.File("m.zip"));

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("labelled.jsonl:1: " + expected, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
