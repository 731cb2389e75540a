using Curation.Core.Config;
using Curation.Evaluation.Runs;
using Curation.TestKit;

namespace Curation.Evaluation.Tests.Harness;

public sealed class EvalConfigLoaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string yaml)
    {
        var path = _temp.File("evals/x.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void AValidFile_ResolvesPathsAgainstItsFolder()
    {
        var path = Write("""
            golden: { path: ../data/golden.jsonl }
            arms:
              - name: base
                local: { model: ../models/tiny, adapter: ../train/adapter }
              - name: gpt-4o-mini
                api: { base_url: "https://api.openai.com/v1", model: gpt-4o-mini, api_key_env: OPENAI_API_KEY }
                price: { input_per_million: 0.15, output_per_million: 0.6 }
            metrics: [exact_match, token_f1]
            gates: ["base.exact_match >= gpt-4o-mini.exact_match - 0.02"]
            output: { dir: ../out }
            """);

        var definition = EvalHarness.Load(path, []);

        Assert.Equal("x", definition.Name);
        Assert.Equal(_temp.File("data/golden.jsonl"), definition.Options.Golden!.Path);
        Assert.Equal(_temp.File("models/tiny"), definition.Arms[0].Local!.Model);
        Assert.Equal(_temp.File("train/adapter"), definition.Arms[0].Local!.Adapter);
        Assert.Equal(Path.Combine(_temp.File("out"), "eval.db"), definition.StorePath);
        Assert.Equal(0.15, definition.Arms[1].Price.InputPerMillion);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnceWithItsLine()
    {
        var path = Write("""
            golden: { path: g.jsonl }
            arms:
              - name: a
                local: { model: m }
                api: { base_url: "http://x/v1", model: m }
              - name: a
                local: { model: m, batch_size: 0 }
            metrics: [exact_match, bleu]
            judge: { arm: nobody, rubric: r.md }
            gates: ["a.exact_match >> 1"]
            output: { dir: out }
            """);

        var error = Assert.Throws<ConfigException>(() => EvalHarness.Load(path, []));

        Assert.Contains(error.Errors, e => e.Line == 3 && e.Message.Contains("exactly one of 'local'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Message.Contains("arm 'a': the name is used by another arm", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Message.Contains("batch_size", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Message.Contains("unknown metric 'bleu'; known metrics: exact_match", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Message.Contains("judge.arm: 'nobody' is not one of the arms", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Message.Contains("gates: 'a.exact_match >> 1'", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingArmsAndOutput_AreRequired()
    {
        var error = Assert.Throws<ConfigException>(() => EvalHarness.Load(Write("golden: { path: g.jsonl }\n"), []));

        Assert.Contains(error.Errors, e => e.Message.Contains("'arms' must be a list", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Message.Contains("'output' is required", StringComparison.Ordinal));
    }

    [Fact]
    public void AGateFromTheCommandLine_IsCheckedToo()
    {
        var path = Write("golden: { path: g.jsonl }\narms: [{ name: a, local: { model: m } }]\noutput: { dir: out }\n");

        var error = Assert.Throws<Core.CurationException>(() => EvalHarness.Load(path, ["b.exact_match >= 0"]));

        Assert.StartsWith("--gate 'b.exact_match >= 0':", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fallbacks_AreModelsOrUrlHashModel_AnythingElseIsOneLine()
    {
        var path = Write("""
            golden: { path: g.jsonl }
            arms:
              - name: good
                api: { base_url: "http://127.0.0.1:9/v1", model: big, fallback: [small, "http://127.0.0.1:10/v1#tiny"] }
              - name: bad
                api: { base_url: "http://127.0.0.1:9/v1", model: big, fallback: ["ftp://x#m"] }
            output: { dir: out }
            """);
        var definition = EvalHarness.Load(path, []);

        await using (ArmFactory.Create(definition.Arm("good"), TimeProvider.System))
        {
        }

        var error = Assert.Throws<Core.CurationException>(() => ArmFactory.Create(definition.Arm("bad"), TimeProvider.System));
        Assert.Equal("arm 'bad': api.fallback: expected MODEL or URL#MODEL (e.g. http://127.0.0.1:8001/v1#tiny), got 'ftp://x#m'", error.Message);
    }

    [Theory]
    [InlineData("golden: { path: ../out/results.jsonl }", "over")]
    [InlineData("golden: { path: ../data }\noutput: { dir: ../data/eval }", "inside")]
    [InlineData("golden: { path: g.jsonl }\nstore: g.jsonl", "over")]
    public void AnOutputOnAnInput_IsRefused(string golden, string how)
    {
        var yaml = golden + "\narms: [{ name: a, local: { model: m } }]\n" + (golden.Contains("output:", StringComparison.Ordinal) ? string.Empty : "output: { dir: ../out }\n");

        var error = Assert.Throws<Core.CurationException>(() => EvalHarness.Load(Write(yaml), []));

        Assert.Contains($", {how} ", error.Message, StringComparison.Ordinal);
        Assert.Contains("which it reads; choose another output.dir or store", error.Message, StringComparison.Ordinal);
    }
}
