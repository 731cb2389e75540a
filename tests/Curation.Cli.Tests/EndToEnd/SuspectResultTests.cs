using System.Text;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>
/// A run that keeps nothing, or cannot read most of a file, is not a small clean dataset: it fails with exit 3, one
/// line per file naming the share rejected and a guess at why, and promotes nothing.
/// </summary>
public sealed class SuspectResultTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SemicolonDelimitedCsv_FailsWithADelimiterHint()
    {
        var rows = string.Concat(Enumerable.Range(1, 20).Select(i => $"What is {i} plus {i}?;It is {i + i}.\n"));
        _temp.Write("faq.csv", "question;answer\n" + rows);
        var pipeline = _temp.Write("p.yaml", "inputs:\n  - path: faq.csv\n    fields: {prompt: question, response: answer}\nstages: [normalize, validate]\noutput: {dir: out}\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.SuspectResult, error);
        Assert.Contains("faq.csv: 20 of 20 records (100%) could not be read", error, StringComparison.Ordinal);
        Assert.Contains("looks ';'-delimited: set delimiter: ';' on this input", error, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("out/data.jsonl")));
        Assert.True(File.Exists(_temp.File("out/rejects.jsonl.incomplete")));
    }

    [Fact]
    public async Task Utf16File_FailsWithAnEncodingHint_AndTheThresholdIsConfigurable()
    {
        var lines = string.Concat(Enumerable.Range(1, 10).Select(i => $$"""{"prompt":"Question {{i}}","completion":"Answer {{i}}"}""" + "\n"));
        _temp.Write("wide.jsonl", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(lines)]);
        _temp.Write("good.jsonl", lines);
        var pipeline = _temp.Write("p.yaml", "inputs: [good.jsonl, wide.jsonl]\nstages: [normalize]\noutput: {dir: out}\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.SuspectResult, error);
        Assert.Contains("wide.jsonl: ", error, StringComparison.Ordinal);
        Assert.Contains("UTF-16 (LE)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("good.jsonl:", error, StringComparison.Ordinal);

        // Allowing every record of that file to be rejected is the user's call.
        var allowing = _temp.Write("allow.yaml", "inputs:\n  - good.jsonl\n  - path: wide.jsonl\n    max_reject_fraction: 1\nstages: [normalize]\noutput: {dir: out}\n");
        var (allowedExit, output, allowedError) = await CliRunner.RunAsync("run", allowing);
        Assert.True(allowedExit == ExitCodes.Ok, allowedError);
        Assert.Contains("kept 10", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InputWithNoRecords_IsNotSuccess()
    {
        _temp.Write("refusals.jsonl", string.Concat(Enumerable.Range(1, 5).Select(i => $$"""{"prompt":"Q{{i}}","completion":""}""" + "\n")));
        var pipeline = _temp.Write("p.yaml", "inputs: [refusals.jsonl]\nstages: [normalize, validate]\noutput: {dir: out}\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.SuspectResult, error);
        Assert.Contains("kept no record: all 5 were rejected (empty-turn 5)", error, StringComparison.Ordinal);
    }
}
