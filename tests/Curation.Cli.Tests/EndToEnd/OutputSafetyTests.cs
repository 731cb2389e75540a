using System.Security.Cryptography;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>
/// Every file a run would write is checked against everything it reads, and against each other, before any work:
/// a clash is a config error at the line that chose the path, from <c>curate run</c> and <c>curate validate</c>
/// alike, and nothing is touched.
/// </summary>
public sealed class OutputSafetyTests : IDisposable
{
    private const string Record = """{"prompt":"What is a rejects file?","completion":"The records a run dropped, each with its stage and rule."}""";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RejectsOnAnInput_IsRefusedAtItsLine_AndTheInputIsUntouched()
    {
        var input = _temp.Write("b/c.jsonl", Record + "\n");
        var before = Hash(input);
        var pipeline = _temp.Write("a/p.yaml", "inputs: [../b/c.jsonl]\nstages: [normalize]\noutput:\n  dir: out\n  rejects: ../../b/c.jsonl\n");

        foreach (var command in new[] { "run", "validate" })
        {
            var (exitCode, _, error) = await CliRunner.RunAsync(command, pipeline);

            Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith(pipeline + ":5:12: output.rejects: ", line, StringComparison.Ordinal);
            Assert.Contains("that inputs[1] reads; a run never writes over what it reads", line, StringComparison.Ordinal);
        }

        Assert.Equal(before, Hash(input));
        Assert.False(Directory.Exists(_temp.File("a/out")));
    }

    [Fact]
    public async Task TwoOutputsOnOnePath_AreRefused_EachAtItsLine()
    {
        _temp.Write("in/a.jsonl", Record + "\n");
        var pipeline = _temp.Write("p.yaml", """
            inputs: [in]
            stages:
              - near-dedup: { clusters: data.jsonl }
            output:
              dir: out
              rejects: manifest.json
            """);

        var (exitCode, _, error) = await CliRunner.RunAsync("validate", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains(":3:29: stage 'near-dedup': clusters: out/data.jsonl is also where output.dir (data file) goes", error.Replace(_temp.Path + "/", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(":5:8: output.dir (manifest): out/manifest.json is also where output.rejects goes", error.Replace(_temp.Path + "/", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputFolderInsideAFolderRead_IsRefused_SoTheNextRunCannotReadItBack()
    {
        _temp.Write("data/a.jsonl", Record + "\n");
        var pipeline = _temp.Write("p.yaml", "inputs: [data]\nstages: [normalize]\noutput:\n  dir: data/out\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("a folder this run reads (inputs[1]); the next run would read it back", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("data/out")));
    }

    [Fact]
    public async Task AnOutputReachedThroughALink_IsComparedByItsRealPath()
    {
        var input = _temp.Write("data/a.jsonl", Record + "\n");
        Directory.CreateSymbolicLink(_temp.File("elsewhere"), _temp.File("data"));
        var pipeline = _temp.Write("p.yaml", "inputs: [data/a.jsonl]\nstages: [normalize]\noutput:\n  dir: out\n  rejects: ../elsewhere/a.jsonl\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("output.rejects: elsewhere/a.jsonl is the file", error.Replace(_temp.Path + "/", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(Record + "\n", File.ReadAllText(input));
    }

    [Fact]
    public async Task ReviewExportFolderOverAnInputFolder_IsRefused()
    {
        _temp.Write("data/a.jsonl", Record + "\n");
        Directory.CreateDirectory(_temp.File("store"));
        var pipeline = _temp.Write("p.yaml", "inputs: [data]\nstages:\n  - review-export: { store: store, random: 5, dir: ../data }\noutput:\n  dir: out\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("validate", pipeline);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("stage 'review-export': dir: data lies inside data, a folder this run reads (inputs[1])", error.Replace(_temp.Path + "/", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DedupRejectsOnAnInput_NamesTheOption()
    {
        var input = _temp.Write("in/a.jsonl", Record + "\n");
        var before = Hash(input);

        var (exitCode, _, error) = await CliRunner.RunAsync("dedup", input, "-o", _temp.File("out"), "--rejects", input);

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Contains("curate dedup: --rejects: ", error, StringComparison.Ordinal);
        Assert.Equal(before, Hash(input));
    }

    [Fact]
    public async Task ValidateLists_EveryFileTheRunWillWrite()
    {
        _temp.Write("in/a.jsonl", Record + "\n");
        var pipeline = _temp.Write("p.yaml", "inputs: [in]\nstages:\n  - near-dedup: { clusters: clusters.jsonl, save_index: index.bin }\noutput:\n  dir: out\n");

        var (exitCode, output, error) = await CliRunner.RunAsync("validate", pipeline);

        Assert.True(exitCode == ExitCodes.Ok, error);
        foreach (var role in new[] { "data, output.dir", "rejects, output.rejects", "clusters, stage 'near-dedup': clusters", "index, stage 'near-dedup': save_index", "manifest, output.dir" })
        {
            Assert.Contains(role, output, StringComparison.Ordinal);
        }
    }

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
