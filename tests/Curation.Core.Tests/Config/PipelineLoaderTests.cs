using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Core.Tests.Config;

public sealed class PipelineLoaderTests
{
    private static StageRegistry Registry() => new StageRegistry()
        .Register<TrimOptions>("trim", "trims text", [], (o, c) => o.MaxLength < 0 ? throw new ArgumentException("max_length must be positive") : new NamedStage(c.Name))
        .Register<TrimOptions>("other", "another", [], (_, c) => new NamedStage(c.Name));

    private static PipelineDefinition Parse(string yaml) => PipelineLoader.Parse(yaml, "p.yaml", "/base", Registry());

    [Fact]
    public void Parse_ValidFile_BindsEverySection()
    {
        var pipeline = Parse("""
            name: demo
            seed: 7
            inputs:
              - path: data/*.jsonl
                format: sharegpt
                fields: { prompt: question, response: answer }
              - more.csv
            stages:
              - trim: { max_length: 10, mode: hard, tags: [a, b] }
              - other
              - trim:
                  name: trim-again
                  workers: 3
            output:
              dir: out
              format: parquet
            """);

        Assert.Equal("demo", pipeline.Name);
        Assert.Equal(7, pipeline.Seed);
        Assert.Equal(InputFormat.ShareGpt, pipeline.Inputs[0].Format);
        Assert.Equal("question", pipeline.Inputs[0].Fields["prompt"]);
        Assert.Equal("more.csv", pipeline.Inputs[1].Path);
        Assert.Equal(["trim", "other", "trim-again"], pipeline.Stages.Select(s => s.Name));
        var trim = (TrimOptions)pipeline.Stages[0].Options;
        Assert.Equal(10, trim.MaxLength);
        Assert.Equal(TrimMode.Hard, trim.Mode);
        Assert.Equal(["a", "b"], trim.Tags);
        Assert.Equal(3, pipeline.Stages[2].Workers);
        Assert.Equal(OutputFormat.Parquet, pipeline.Output.Format);
    }

    [Fact]
    public void Parse_UnknownStage_NamesLineColumnAndValidStages()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("""
            inputs: [a.jsonl]
            stages:
              - trm
            """));

        Assert.Equal("p.yaml:3:5: unknown stage 'trm'; valid stages: other, trim", error.Message);
    }

    [Fact]
    public void Parse_UnknownParameterAndWrongTypes_ReportsEveryErrorAtOnce()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("""
            inputs:
              - path: a.jsonl
                format: csv
            stages:
              - trim:
                  max_lenght: 3
                  mode: soft
              - other: { max_length: many }
            output: { format: xml }
            """));

        Assert.Equal(
            [
                "p.yaml:3:13: inputs[1]: parameter 'format': expected one of auto|alpaca|sharegpt|openai|prompt-completion|text, got 'csv'",
                "p.yaml:6:7: stage 'trim': unknown parameter 'max_lenght'; valid parameters: max_length, mode, name, tags, workers",
                "p.yaml:7:13: stage 'trim': parameter 'mode': expected one of soft-wrap|hard, got 'soft'",
                "p.yaml:8:26: stage 'other': parameter 'max_length': expected an integer, got 'many'",
                "p.yaml:9:19: output: parameter 'format': expected one of openai|alpaca|sharegpt|parquet, got 'xml'",
            ],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_RangeAttributeViolated_ReportsTheParameter()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("""
            inputs: [a.jsonl]
            stages:
              - trim: { max_length: 5000 }
            """));

        Assert.Contains("p.yaml:3:25: stage 'trim': parameter 'max_length'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownTopLevelKeyAndDuplicateStageName_AreErrors()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("""
            inputs: [a.jsonl]
            stagess: []
            stages: [trim, trim]
            """));

        Assert.Equal(2, error.Errors.Count);
        Assert.Contains("unknown key 'stagess'; valid keys: name, seed, workers, max_reject_fraction, inputs, stages, output", error.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("stage name 'trim' is used twice", error.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsLine()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("inputs: [a.jsonl\nstages: ["));

        Assert.StartsWith("p.yaml:", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoInputs_IsAnError()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("stages: []"));
        Assert.Contains("no inputs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameMeaningWrittenDifferently_GivesTheSameHash()
    {
        var a = Parse("inputs: [a.jsonl]\nstages: [trim]\n");
        var b = Parse("""
            # defaults spelled out, other order
            stages:
              - trim: { mode: soft-wrap, max_length: 100 }
            seed: 42
            inputs:
              - path: a.jsonl
                format: auto
            output: { format: openai }
            """);
        var c = Parse("inputs: [a.jsonl]\nstages: [trim]\nseed: 43\n");

        Assert.Equal(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, c.Hash);
    }

    [Fact]
    public void BuildStages_FactoryRejectsOptions_ReportsStageLine()
    {
        var pipeline = Parse("inputs: [a.jsonl]\nstages:\n  - trim: { max_length: -1 }\n");

        var error = Assert.Throws<ConfigException>(() => PipelineLoader.BuildStages(pipeline, Registry()));

        Assert.Equal("p.yaml:3:1: stage 'trim': max_length must be positive", error.Message);
    }

    public enum TrimMode
    {
        SoftWrap,
        Hard,
    }

    public sealed class TrimOptions
    {
        [System.ComponentModel.DataAnnotations.Range(-10, 1000)]
        public int MaxLength { get; set; } = 100;

        public TrimMode Mode { get; set; } = TrimMode.SoftWrap;

        public List<string> Tags { get; set; } = [];
    }

    private sealed class NamedStage(string name) : IRecordStage
    {
        public string Name => name;

        public StageResult Apply(ChatRecord record) => StageResult.Keep(record);
    }
}
