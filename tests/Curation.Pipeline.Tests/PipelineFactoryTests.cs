using Curation.Core.Records;
using Curation.TestKit;

namespace Curation.Pipeline.Tests;

public sealed class PipelineFactoryTests
{
    private const string Conversation = """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""";

    [Fact]
    public void Prepare_ValidPipeline_BuildsStagesResolvesInputsAndPlansOutputs()
    {
        using var folder = new TempFolder();
        folder.Write("data/a.jsonl", Conversation + "\n");
        var file = folder.Write("p.yaml", """
            inputs: [data]
            stages:
              - normalize
              - validate
            output: { dir: out }
            """);

        var prepared = PipelineFactory.Prepare(file, StageCatalog.Create(), outputOverride: null, seedOverride: 3);

        Assert.Equal(["normalize", "validate"], prepared.Steps.Select(step => step.Stage.Name));
        Assert.Equal(1, prepared.InputFiles);
        Assert.Equal(Path.Combine(folder.Path, "out"), prepared.OutputDirectory);
        Assert.Equal(3, prepared.Definition.Seed);
        Assert.Equal(["data", "rejects", "manifest"], prepared.Outputs.Select(output => output.Role));
    }

    [Fact]
    public void Prepare_AlpacaOutput_AddsTheOutputFormatCheckLast()
    {
        using var folder = new TempFolder();
        folder.Write("a.jsonl", Conversation + "\n");
        var file = folder.Write("p.yaml", "inputs: [a.jsonl]\nstages: [validate]\noutput: { dir: out, format: alpaca }\n");

        var prepared = PipelineFactory.Prepare(file, StageCatalog.Create(), outputOverride: null, seedOverride: null);

        Assert.Equal(["validate", OutputFormatStage.StageName], prepared.Steps.Select(step => step.Stage.Name));
    }

    [Fact]
    public void OutputFormatStage_ConversationAlpacaCannotHold_IsRejectedNotCut()
    {
        var stage = new OutputFormatStage(OutputFormat.Alpaca);
        var withToolTurn = Chat.Builder().User("weather?").Assistant("calling").Add(Roles.Tool, "{\"temp\": 21}").Assistant("21 degrees").Build();

        var result = stage.Apply(withToolTurn);

        Assert.False(result.IsKept);
        Assert.Equal("unrepresentable", result.Rule);
        Assert.True(stage.Apply(Chat.Record("q", "a")).IsKept);
    }

    [Fact]
    public void StageCatalog_RegistersEveryStageKind()
    {
        Assert.Equal(
            ["apply-review", "c4-quality", "classifier", "exact-dedup", "fineweb-quality", "gopher-quality", "gopher-repetition", "instruction-quality", "near-dedup", "normalize", "pii", "review-export", "split", "token-length", "validate"],
            StageCatalog.Create().Kinds);
    }
}
