using Curation.TestKit;

namespace Curation.Pipeline.Tests;

/// <summary>Input lines are kept for copying only where the writer can copy them and the records it gets can be the decoded ones.</summary>
public sealed class VerbatimLinesTests
{
    [Theory]
    [InlineData("[normalize, validate]", "{ dir: out }", true)]
    [InlineData("[normalize, pii, exact-dedup, gopher-repetition]", "{ dir: out, format: openai, compression: zstd }", true)]
    [InlineData("[]", "{ dir: out }", true)]
    [InlineData("[normalize, validate]", "{ dir: out, include_id: false }", false)]
    [InlineData("[normalize, validate]", "{ dir: out, format: sharegpt }", false)]
    [InlineData("[normalize, validate]", "{ dir: out, format: parquet }", false)]
    [InlineData("[normalize, near-dedup, validate]", "{ dir: out }", false)]
    [InlineData("[normalize, {split: {splits: {train: 0.9, test: 0.1}}}]", "{ dir: out }", false)]
    public void WorthKeeping_DependsOnTheOutputAndOnStagesThatPassOnCopies(string stages, string output, bool expected)
    {
        using var folder = new TempFolder();
        folder.Write("a.jsonl", """{"id":"a","messages":[{"role":"user","content":"hi"}]}""" + "\n");
        var file = folder.Write("p.yaml", $"inputs: [a.jsonl]\nstages: {stages}\noutput: {output}\n");

        var prepared = PipelineFactory.Prepare(file, StageCatalog.Create(), outputOverride: null, seedOverride: null);

        Assert.Equal(expected, VerbatimLines.WorthKeeping(prepared.Definition.Output, prepared.Steps.Select(step => step.Stage)));
    }
}
