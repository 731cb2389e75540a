using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

public sealed class InspectTests
{
    [Fact]
    public async Task Inspect_SampleFile_ShowsFormatsRolesTurnsHistogramAndRejects()
    {
        var file = Path.Combine(RepositoryPaths.Root, "datasets-sample", "openai", "support.jsonl");

        var (exitCode, output, error) = await CliRunner.RunAsync("inspect", file);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Matches(@"items:\s+481 \(\d+ records, \d+ rejected\)", output);
        Assert.Matches(@"formats:\s+openai \d+", output);
        Assert.Contains("assistant", output, StringComparison.Ordinal);
        Assert.Contains("content length (characters):", output, StringComparison.Ordinal);
        Assert.Matches(@"invalid-utf8\s+1", output);
        Assert.Contains("support.jsonl:256: invalid UTF-8", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_CsvWithFieldMapping_DetectsPromptCompletion()
    {
        using var temp = new TempFolder();
        var csv = temp.Write("faq.csv", "question,answer\n\"How, exactly?\",\"Line one\nline two\"\nWhy?,Because.\n");

        var (exitCode, output, error) = await CliRunner.RunAsync("inspect", csv, "--field", "prompt=question", "--field", "response=answer");

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Matches(@"items:\s+2 \(2 records, 0 rejected\)", output);
        Assert.Matches(@"formats:\s+prompt-completion 2", output);
    }

    [Fact]
    public async Task Inspect_MissingFile_ExitsTwoNamingIt()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("inspect", "no-such-file.jsonl");

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("no-such-file.jsonl", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_BadFieldOption_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("inspect", "x.jsonl", "--field", "prompt");

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("expected NAME=KEY", error, StringComparison.Ordinal);
    }
}
