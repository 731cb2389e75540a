using Curation.Core.Config;
using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Pipeline.Tests;

/// <summary>Every problem of a pipeline file, whichever check finds it, comes in one report, located and in file order.</summary>
public sealed class ConfigInOnePassTests : IDisposable
{
    private const string Conversation = """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""";

    private readonly TempFolder _folder = new();

    public ConfigInOnePassTests()
    {
        _folder.Write("data/a.jsonl", Conversation + "\n");
        _folder.Write("data/b.csv", "q,a\nx,y\n");
    }

    public void Dispose() => _folder.Dispose();

    private IReadOnlyList<string> Problems(string yaml, string? outputOverride = null)
    {
        var file = _folder.Write("p.yaml", yaml);
        var error = Assert.Throws<ConfigException>(() => PipelineFactory.Prepare(file, StageCatalog.Create(), outputOverride, seedOverride: null));
        return [.. error.Errors.Select(e => e.ToString().Replace(file, "p.yaml", StringComparison.Ordinal))];
    }

    private string Display(string relative) => DisplayPath.For(_folder.File(relative));

    [Fact]
    public void BindingStageFactoryInputAndOutputProblems_AreReportedTogetherInFileOrder()
    {
        var problems = Problems("""
            inputs:
              - data/missing.jsonl
              - path: data/b.csv
                delimiter: ""
                fields: { prompt: q, response: a }
            stages:
              - gopher-quality: { disable: [gopher-vibes] }
              - near-dedup: { threshold: high }
            output:
              dir: out
              rejects: ../data/b.csv
            unknown: 1
            """);

        Assert.Equal(6, problems.Count);
        Assert.StartsWith("p.yaml:2:5: inputs[1]: data/missing.jsonl: input not found", problems[0], StringComparison.Ordinal);
        Assert.Equal("p.yaml:4:16: inputs[2]: parameter 'delimiter': expected one or more characters (or 'tab'), got an empty string", problems[1]);
        Assert.StartsWith("p.yaml:7:5: stage 'gopher-quality': parameter 'disable' names unknown rule 'gopher-vibes'; its rules are ", problems[2], StringComparison.Ordinal);
        Assert.Equal("p.yaml:8:30: stage 'near-dedup': parameter 'threshold': expected a number, got 'high'", problems[3]);
        Assert.Equal($"p.yaml:11:12: output.rejects: {Display("data/b.csv")} is the file {Display("data/b.csv")} that inputs[2] reads; a run never writes over what it reads", problems[4]);
        Assert.StartsWith("p.yaml:12:1: unknown key 'unknown'", problems[5], StringComparison.Ordinal);
    }

    [Fact]
    public void OutputSettingsThatContradictEachOther_AreLocatedAtTheirKeys()
    {
        var problems = Problems("""
            inputs: [data/a.jsonl]
            output:
              dir: out
              format: parquet
              compression: gzip
            """);

        Assert.Equal(
            ["p.yaml:5:16: output: parameter 'compression': applies to JSONL output only; parquet files are compressed inside (snappy), so remove it or set 'none'"],
            problems);
    }

    [Fact]
    public void RejectsNamedLikeTheDataFile_IsOneProblemNotAPlanConflictToo()
    {
        Assert.Equal(
            ["p.yaml:2:30: output: parameter 'rejects': expected a file name other than the data file's, got 'data.jsonl'"],
            Problems("inputs: [data/a.jsonl]\noutput: { dir: out, rejects: data.jsonl }\n"));
    }

    [Fact]
    public void StageNamedLikeTheOutputFormatCheck_IsReportedAtTheStage()
    {
        Assert.Equal(
            ["p.yaml:3:5: stage name 'output-format' is reserved for the check that alpaca output adds; choose another 'name:'"],
            Problems("inputs: [data/a.jsonl]\nstages:\n  - normalize: { name: output-format }\noutput: { dir: out, format: alpaca }\n"));
    }

    [Fact]
    public void FileMatchedByTwoEntries_IsReportedAtTheSecondEntry()
    {
        var problems = Problems("inputs:\n  - data\n  - data/a.jsonl\noutput: { dir: out }\n");

        Assert.Equal([$"p.yaml:3:5: inputs[2]: {Display("data/a.jsonl")}: matched by inputs 1 and 2: each file may be read only once"], problems);
    }

    [Fact]
    public void OutputFolderHoldingAnInput_IsOneProblemAtOutputDir()
    {
        var problems = Problems("inputs: [data/a.jsonl]\noutput:\n  dir: data\n");

        Assert.Equal(
            [$"p.yaml:3:8: output.dir: the output folder {Display("data")} holds {Display("data/a.jsonl")}, which inputs[1] reads; a run would overwrite what it reads. Write the output elsewhere"],
            problems);
    }

    [Fact]
    public void OutputFolderFromTheCommandLine_HasNoPositionAndComesLast()
    {
        var problems = Problems("inputs: [data/a.jsonl]\nstages:\n  - validate: { bogus: 1 }\n", outputOverride: _folder.File("data"));

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("p.yaml:3:17: stage 'validate': unknown parameter 'bogus'", problems[0], StringComparison.Ordinal);
        Assert.StartsWith($"p.yaml: --output: the output folder {Display("data")} holds", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void DelimiterWithAQuote_IsAProblemOfTheEntry()
    {
        Assert.Equal(
            ["p.yaml:4:16: inputs[1]: parameter 'delimiter': expected characters other than a quote or a line break (or 'tab'), got '\"'"],
            Problems("inputs:\n  - path: data/b.csv\n    fields: { prompt: q, response: a }\n    delimiter: '\"'\noutput: { dir: out }\n"));
    }

    [Fact]
    public void UnknownFieldMapping_IsReportedAtFields()
    {
        var problems = Problems("inputs:\n  - path: data/b.csv\n    fields: { answer: a }\noutput: { dir: out }\n");

        Assert.Single(problems);
        Assert.StartsWith("p.yaml:3:13: inputs[1]: parameter 'fields': ", problems[0], StringComparison.Ordinal);
        Assert.Contains("unknown field 'answer'", problems[0], StringComparison.Ordinal);
    }
}
