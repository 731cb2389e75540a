using System.Text;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>
/// Input lines already in the output's form are copied when no stage changed their record; a record a stage did
/// change, or an output set up differently, must show the change, never the input line.
/// </summary>
public sealed class UnchangedLinesTests
{
    private const string Unchanged = """{"id":"same","messages":[{"role":"user","content":"Is the \"box\" ready?\nThanks"},{"role":"assistant","content":"Yes, it ships today.","weight":1}]}""";

    // "Cafe" and a combining acute accent: normalisation composes them into one character.
    private const string Decomposed = "{\"id\":\"nfd\",\"messages\":[{\"role\":\"user\",\"content\":\"Cafe\u0301 au lait?\"},{\"role\":\"assistant\",\"content\":\"Two, please.\"}]}";
    private const string Composed = "{\"id\":\"nfd\",\"messages\":[{\"role\":\"user\",\"content\":\"Caf\u00e9 au lait?\"},{\"role\":\"assistant\",\"content\":\"Two, please.\"}]}";

    [Fact]
    public async Task Run_LinesInTheOutputsForm_CopiesUnchangedOnes_AndWritesChangedOnesAnew()
    {
        using var temp = new TempFolder();
        temp.Write("in.jsonl", Unchanged + "\n" + Decomposed + "\n");
        var pipeline = temp.Write("p.yaml", "inputs: [in.jsonl]\nstages: [normalize, validate]\noutput:\n  dir: out\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Equal(Unchanged + "\n" + Composed + "\n", File.ReadAllText(temp.File("out/data.jsonl"), Encoding.UTF8));
    }

    [Fact]
    public async Task Run_OutputWithoutIds_WritesEveryLineWithoutItsId()
    {
        using var temp = new TempFolder();
        temp.Write("in.jsonl", Unchanged + "\n");
        var pipeline = temp.Write("p.yaml", "inputs: [in.jsonl]\nstages: [normalize, validate]\noutput:\n  dir: out\n  include_id: false\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Equal(Unchanged.Replace("\"id\":\"same\",", string.Empty, StringComparison.Ordinal) + "\n", File.ReadAllText(temp.File("out/data.jsonl")));
    }

    [Fact]
    public async Task Run_StageThatMarksARecord_WritesTheMark()
    {
        using var temp = new TempFolder();
        var copy = Unchanged.Replace("\"same\"", "\"copy\"", StringComparison.Ordinal);
        temp.Write("in.jsonl", Unchanged + "\n" + copy + "\n");
        var pipeline = temp.Write("p.yaml", "inputs: [in.jsonl]\nstages: [normalize, {near-dedup: {threshold: 0.8, action: mark}}]\noutput:\n  dir: out\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        var lines = File.ReadAllLines(temp.File("out/data.jsonl"));
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(Unchanged[..^1] + ",\"metadata\":{\"cluster_id\":", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(copy[..^1] + ",\"metadata\":{", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"near_duplicate_of\":\"same\"", lines[1], StringComparison.Ordinal);
    }
}
