using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>Each input file is read once: not again through a link, and never an earlier run's own output.</summary>
public sealed class InputsReadOnceTests
{
    private const string Records = """
        {"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"}]}
        {"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}
        {"messages":[{"role":"user","content":"Bye"},{"role":"assistant","content":"Bye!"}]}
        """;

    [Fact]
    public async Task Run_FolderWithALinkLoop_ReadsEachRecordOnce()
    {
        using var temp = new TempFolder();
        temp.Write("in/chats.jsonl", Records + "\n");
        Directory.CreateSymbolicLink(temp.File("in/loop"), "..");
        Directory.CreateSymbolicLink(temp.File("in/again"), ".");
        var pipeline = temp.Write("p.yaml", "inputs: [in]\noutput:\n  dir: out\n");

        var (exitCode, output, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Contains("read 3, kept 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OverAFolderHoldingAnEarlierRunsOutput_SkipsThoseFiles_AndSaysSo()
    {
        using var temp = new TempFolder();
        temp.Write("in/chats.jsonl", Records + "\n");
        temp.Write("other/more.jsonl", Records.Replace("Hi", "Hey", StringComparison.Ordinal) + "\n");
        var earlier = temp.Write("earlier.yaml", "inputs: [other]\noutput:\n  dir: in/out\n");
        var pipeline = temp.Write("p.yaml", "inputs: [in]\noutput:\n  dir: out\n");

        var first = await CliRunner.RunAsync("run", earlier);
        var second = await CliRunner.RunAsync("run", pipeline);

        Assert.True(first.ExitCode == ExitCodes.Ok, first.Error);
        Assert.True(second.ExitCode == ExitCodes.Ok, second.Error);
        Assert.Contains("read 3, kept 3", second.Output, StringComparison.Ordinal);
        Assert.Contains("in/out/data.jsonl: skipped: written by an earlier curate run", second.Error.Replace(temp.Path + "/", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithItsOutputFolderInsideItsInputFolder_IsRefused()
    {
        using var temp = new TempFolder();
        temp.Write("in/chats.jsonl", Records + "\n");
        var pipeline = temp.Write("p.yaml", "inputs: [in]\noutput:\n  dir: in/out\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("a folder this run reads (inputs[1]); the next run would read it back", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_EarlierRunsManifestAsInput_IsAConfigError_ButItsDataChains()
    {
        using var temp = new TempFolder();
        temp.Write("in.jsonl", Records + "\n");
        var first = temp.Write("first.yaml", "inputs: [in.jsonl]\noutput:\n  dir: one\n");
        var manifest = temp.Write("manifest.yaml", "inputs: [one/manifest.json]\noutput:\n  dir: two\n");
        var chained = temp.Write("chained.yaml", "inputs: [one/data.jsonl]\noutput:\n  dir: three\n");

        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("run", first)).ExitCode);
        var (exitCode, _, error) = await CliRunner.RunAsync("run", manifest);
        var (chainedExit, chainedOutput, chainedError) = await CliRunner.RunAsync("run", chained);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("one/manifest.json: this is curate's manifest of an earlier run, not data", error, StringComparison.Ordinal);
        Assert.True(chainedExit == ExitCodes.Ok, chainedError);
        Assert.Contains("read 3, kept 3", chainedOutput, StringComparison.Ordinal);
    }
}
