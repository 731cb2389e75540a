using Curation.Core.Manifest;
using Curation.Core.Runtime;
using Curation.TestKit;

namespace Curation.Pipeline.Tests;

/// <summary>A host other than the CLI prepares, runs and commits a pipeline with the library alone.</summary>
public sealed class PipelineExecutionTests
{
    private const string Good = """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""";
    private const string Empty = """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":" "}]}""";

    [Fact]
    public async Task Run_ValidPipeline_CommitsDataRejectsAndManifest()
    {
        using var folder = new TempFolder();
        folder.Write("in.jsonl", $"{Good}\n{Empty}\n");
        var file = folder.Write("p.yaml", "inputs: [in.jsonl]\nstages: [validate]\noutput: { dir: out }\n");
        var prepared = PipelineFactory.Prepare(file, StageCatalog.Create(), outputOverride: null, seedOverride: null);

        using var execution = new PipelineExecution(prepared, new RunOptions { Workers = 2 }, "test");
        var result = await execution.RunAsync(observer: null, around: null, CancellationToken.None);
        var outcome = execution.Finish(result);

        Assert.Equal(RunOutcome.Completed, outcome.Outcome);
        Assert.Null(outcome.Failure);
        Assert.Equal(["data", "rejects"], outcome.Files.Select(f => f.Role));
        Assert.Equal([1, 1], outcome.Files.Select(f => f.Records));
        Assert.Equal(folder.File("out/manifest.json"), outcome.ManifestPath);
        Assert.Single(File.ReadAllLines(folder.File("out/data.jsonl")));
        Assert.Contains("empty-turn", File.ReadAllText(folder.File("out/rejects.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_KeepsNothing_IsSuspectAndPromotesNothing()
    {
        using var folder = new TempFolder();
        folder.Write("in.jsonl", $"{Empty}\n");
        var file = folder.Write("p.yaml", "inputs: [in.jsonl]\nstages: [validate]\noutput: { dir: out }\n");
        var prepared = PipelineFactory.Prepare(file, StageCatalog.Create(), outputOverride: null, seedOverride: null);

        using var execution = new PipelineExecution(prepared, new RunOptions { Workers = 1 }, "test");
        var outcome = execution.Finish(await execution.RunAsync(observer: null, around: null, CancellationToken.None));

        Assert.Equal(RunOutcome.Suspect, outcome.Outcome);
        Assert.NotNull(outcome.Failure);
        Assert.False(File.Exists(folder.File("out/data.jsonl")));
        Assert.True(File.Exists(folder.File("out/manifest.json")));
    }
}
