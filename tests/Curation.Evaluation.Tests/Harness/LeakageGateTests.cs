using Curation.Cli;
using Curation.TestKit;

namespace Curation.Evaluation.Tests.Harness;

/// <summary>
/// A golden item copied from the training data: the training pipeline's near-dedup index finds it, the report lists
/// it, and a <c>leaks == 0</c> gate fails the run with exit 5.
/// </summary>
public sealed class LeakageGateTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AGoldenItemFromTheTrainingData_IsListed_AndFailsTheGate()
    {
        var training = Path.Combine(RepositoryPaths.Root, "datasets-sample", "training", "capitals.jsonl");
        File.WriteAllText(_temp.File("train.yaml"), $$"""
            inputs: [{{training}}]
            stages:
              - near-dedup: { action: mark, save_index: train.index }
            output: { dir: train-out }
            """);
        var pipeline = await EvalFixture.CurateAsync("run", _temp.File("train.yaml"));
        Assert.True(pipeline.ExitCode == ExitCodes.Ok, pipeline.Error);
        var golden = File.ReadLines(Path.Combine(RepositoryPaths.Root, "datasets-sample", "golden", "capitals.jsonl")).Take(5)
            .Append(File.ReadLines(training).Skip(7).First().Replace("\"id\": \"", "\"id\": \"copied-", StringComparison.Ordinal));
        File.WriteAllLines(_temp.File("golden.jsonl"), golden);
        File.WriteAllText(_temp.File("eval.yaml"), """
            golden: { path: golden.jsonl }
            arms:
              - name: down
                api: { base_url: "http://127.0.0.1:9/v1", model: none, retries: 0 }
            metrics: [exact_match]
            leakage: { index: train-out/train.index }
            gates: ["leaks == 0"]
            output: { dir: out }
            """);

        var run = await EvalFixture.CurateAsync("eval", "run", _temp.File("eval.yaml"));

        Assert.Equal(ExitCodes.GateFailed, run.ExitCode);
        Assert.Contains("curate eval: gate failed: leaks == 0 (1 == 0)", run.Error, StringComparison.Ordinal);
        Assert.Contains("curate eval: arm 'down': every call failed (6 (connection-refused 6))", run.Error, StringComparison.Ordinal);
        var markdown = await File.ReadAllTextAsync(_temp.File("out/report.md"));
        Assert.Matches(@"\| copied-capital-\S+ \| capital-\S+ \| 1\.000 \|", markdown);
    }
}
