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
        Assert.Contains("unknown key 'stagess'; valid keys: name, seed, workers, max_reject_fraction, inputs, stages, output, executor", error.Errors[0].Message, StringComparison.Ordinal);
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

        Assert.Equal("p.yaml:3:5: stage 'trim': max_length must be positive", error.Message);
    }

    [Fact]
    public void BuildStages_ArgumentExceptionNamingAParameter_ReportsTheMessageWithoutTheCSharpParameter()
    {
        var registry = new StageRegistry().Register<TrimOptions>("trim", "trims", [], (_, _) => throw new ArgumentOutOfRangeException("maxLength", "max_length is too long for this tokenizer"));
        var pipeline = PipelineLoader.Parse("inputs: [a.jsonl]\nstages: [trim]\n", "p.yaml", "/base", registry);

        var error = Assert.Throws<ConfigException>(() => PipelineLoader.BuildStages(pipeline, registry));

        Assert.Equal("p.yaml:2:10: stage 'trim': max_length is too long for this tokenizer", error.Message);
    }

    [Fact]
    public void Parse_ValueOutOfRange_SaysTheExpectedRangeInYamlTerms()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("""
            inputs: [a.jsonl]
            stages:
              - trim: { max_length: 5000 }
            """));

        Assert.Equal("p.yaml:3:25: stage 'trim': parameter 'max_length': expected an integer from -10 to 1000, got 5000", error.Message);
    }

    [Fact]
    public void Parse_RequiredParameterMissingAndLowerBoundBroken_NamesYamlKeysWithoutFrameworkText()
    {
        var registry = new StageRegistry().Register<CountOptions>("count", "counts", [], (_, c) => new NamedStage(c.Name));

        var error = Assert.Throws<ConfigException>(() => PipelineLoader.Parse("""
            inputs: [a.jsonl]
            stages:
              - count
              - count: { name: second, max_tokens: 0, share: 1.5 }
            """, "p.yaml", "/base", registry));

        Assert.Equal(
            [
                "p.yaml:3:5: stage 'count': parameter 'model' is required",
                "p.yaml:4:12: stage 'second': parameter 'model' is required",
                "p.yaml:4:40: stage 'second': parameter 'max_tokens': expected an integer of at least 1, got 0",
                "p.yaml:4:50: stage 'second': parameter 'share': expected a number from 0 to 1, got 1.5",
            ],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_WorkersBelowOne_IsAnErrorAtTopLevelAndInAStage()
    {
        var error = Assert.Throws<ConfigException>(() => Parse("""
            workers: 0
            inputs: [a.jsonl]
            stages:
              - trim: { workers: -2 }
            """));

        Assert.Equal(
            [
                "p.yaml:1:10: workers: expected an integer of at least 1, got 0",
                "p.yaml:4:22: stage 'trim': parameter 'workers': expected an integer of at least 1, got -2",
            ],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_TabIndentation_ReportsTheLineAndColumnOfTheTab()
    {
        var mapping = Assert.Throws<ConfigException>(() => Parse("inputs: [a.jsonl]\nstages:\n  - trim:\n\t  max_length: 3\n"));
        var scalar = Assert.Throws<ConfigException>(() => Parse("inputs: [a.jsonl]\noutput:\n  dir: out\n  \tformat: openai\n"));

        Assert.Equal("p.yaml:4:1: invalid YAML: a tab indents this line; YAML indents with spaces", mapping.Message);
        Assert.Equal("p.yaml:4:3: invalid YAML: a tab indents this line; YAML indents with spaces", scalar.Message);
    }

    [Fact]
    public void Bind_ProblemsInSomeSections_BindsTheRestAndMarksWhichEntriesAreFaulty()
    {
        var binding = PipelineLoader.Bind("""
            inputs:
              - good.jsonl
              - path: bad.jsonl
                format: csv
            stages:
              - trim: { max_length: many }
              - other
            output: { format: xml }
            """, "p.yaml", "/base", Registry());

        Assert.Equal(3, binding.Errors.Count);
        Assert.Equal(["good.jsonl", "bad.jsonl"], binding.Definition.Inputs.Select(input => input.Path));
        Assert.Equal([1], binding.FaultyInputs);
        Assert.Equal(["trim", "other"], binding.Definition.Stages.Select(stage => stage.Name));
        Assert.Equal([0], binding.FaultyStages);
        Assert.True(binding.OutputFaulty);
    }

    [Fact]
    public void ConfigException_ErrorsInAnyOrder_ReportsThemInFileOrderWithUnlocatedOnesLast()
    {
        var error = new ConfigException(
        [
            new ConfigError("p.yaml", 0, 0, "from the command line"),
            new ConfigError("p.yaml", 9, 3, "last"),
            new ConfigError("p.yaml", 2, 7, "second"),
            new ConfigError("p.yaml", 2, 1, "first"),
        ]);

        Assert.Equal(["first", "second", "last", "from the command line"], error.Errors.Select(e => e.Message));
    }

    [Fact]
    public void ErrorAt_SettingAbsentFromTheFile_ReportsItsEnclosingSetting()
    {
        var pipeline = Parse("inputs: [a.jsonl]\noutput:\n  dir: out\n");

        Assert.Equal("p.yaml:3:3: problem", pipeline.ErrorAt("output.rejects", "problem").ToString());
        Assert.Equal("p.yaml:3:8: problem", pipeline.ErrorAt("output.dir", "problem").ToString());
        Assert.Equal("p.yaml: problem", pipeline.ErrorAt(null, "problem").ToString());
    }

    public enum TrimMode
    {
        SoftWrap,
        Hard,
    }

    public sealed class TrimOptions
    {
        [System.ComponentModel.DataAnnotations.Range(-10, 1000)]
        public int MaxLength { get; init; } = 100;

        public TrimMode Mode { get; init; } = TrimMode.SoftWrap;

        public List<string> Tags { get; init; } = [];
    }

    public sealed class CountOptions
    {
        [System.ComponentModel.DataAnnotations.Required]
        public string? Model { get; init; }

        [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
        public int? MaxTokens { get; init; }

        [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
        public double Share { get; init; }
    }

    private sealed class NamedStage(string name) : IRecordStage
    {
        public string Name => name;

        public StageResult Apply(ChatRecord record) => StageResult.Keep(record);
    }
}
