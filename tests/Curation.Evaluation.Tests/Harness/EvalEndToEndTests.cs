using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Curation.Cli;
using Curation.Evaluation.Runs;
using Curation.TestKit;

namespace Curation.Evaluation.Tests.Harness;

/// <summary>
/// <c>curate eval run</c> end to end: a real <c>curate serve</c> as the API arm beside local base and fine-tuned arms on
/// the sample golden set; then a rerun that the cache answers without one request reaching the server.
/// </summary>
[Collection(EvalCollection.Name)]
public sealed class EvalEndToEndTests(EvalFixture fixture) : IDisposable
{
    private static readonly string[] Arms = ["finetuned", "base", "api"];
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_ReportsEveryArm_ThenARerunMakesNoRequest()
    {
        var eval = fixture.WriteEval(_temp, """gates: ["finetuned.error_rate == 0", "api.errors == 0", "leaks == 0"]""");
        var servedBefore = fixture.AnsweredByServer;

        var first = await EvalFixture.CurateAsync("eval", "run", eval);

        Assert.True(first.ExitCode == ExitCodes.Ok, first.Error + first.Output);
        Assert.Equal(24, fixture.AnsweredByServer - servedBefore);
        var results = ReadResults();
        Assert.Equal(3 * 24, results.Count);
        Assert.All(Arms, arm => Assert.Equal(24, results.Count(line => line["arm"]!.GetValue<string>() == arm)));
        Assert.All(results, line => Assert.False(line["cache_hit"]!.GetValue<bool>()));
        Assert.All(results, line => Assert.Null(line["error"]));
        Assert.All(results, line => Assert.True(line["cost"]!.GetValue<double>() > 0, line.ToJsonString()));
        Assert.All(results, line => Assert.True(line["latency_ms"]!.GetValue<double>() > 0, line.ToJsonString()));
        var markdown = await File.ReadAllTextAsync(_temp.File("out/report.md"));
        foreach (var arm in Arms)
        {
            Assert.Matches($@"\| {arm} \| (local|api) \| [^|]+ \| \w+ \|( [01]\.\d{{3}} \[[01]\.\d{{3}}, [01]\.\d{{3}}\] \(n=24\) \|){{3}} 0 \| \d+\.\d+ \| \d+ \| \d+ \| \d+\.\d \| 0/24 \|", markdown);
        }

        Assert.Contains("| `leaks == 0` | pass |", markdown, StringComparison.Ordinal);
        Assert.Contains("<section id=\"summary\">", await File.ReadAllTextAsync(_temp.File("out/report.html")), StringComparison.Ordinal);
        Assert.Contains("wrote " + _temp.File("out/report.html"), first.Output, StringComparison.Ordinal);

        // The served base and the local base are one model: the same greedy answers.
        var api = results.Where(line => line["arm"]!.GetValue<string>() == "api").Select(line => line["answer"]!.GetValue<string>());
        var local = results.Where(line => line["arm"]!.GetValue<string>() == "base").Select(line => line["answer"]!.GetValue<string>());
        Assert.Equal(local, api);

        var servedAfterFirst = fixture.AnsweredByServer;
        var second = await EvalFixture.CurateAsync("eval", "run", eval);

        Assert.True(second.ExitCode == ExitCodes.Ok, second.Error + second.Output);
        Assert.Equal(servedAfterFirst, fixture.AnsweredByServer);
        var again = ReadResults();
        Assert.All(again, line => Assert.True(line["cache_hit"]!.GetValue<bool>()));
        Assert.Equal(results.Select(line => line["answer"]!.ToJsonString()), again.Select(line => line["answer"]!.ToJsonString()));
        Assert.Contains("24/24 |", await File.ReadAllTextAsync(_temp.File("out/report.md")), StringComparison.Ordinal);

        var runs = await EvalFixture.CurateAsync("eval", "runs", "--eval", eval);
        Assert.Equal(ExitCodes.Ok, runs.ExitCode);
        Assert.Equal(2, Regex.Count(runs.Output, @"^run-\d{8}T\d{6}Z(-\d+)?\s+completed", RegexOptions.Multiline));

        var ids = Regex.Matches(runs.Output, @"^(run-\S+)\s+completed", RegexOptions.Multiline).Select(match => match.Groups[1].Value).ToArray();
        var diff = await EvalFixture.CurateAsync("eval", "diff", ids[0], ids[1], "--eval", eval);
        Assert.True(diff.ExitCode == ExitCodes.Ok, diff.Error);
        Assert.Matches(@"finetuned\s+exact_match\s+[01]\.\d{3}\s+[01]\.\d{3}\s+0\.000", diff.Output);
        Assert.Equal(3, Regex.Count(diff.Output, @"changed answers\s+0/24"));

        var gated = await EvalFixture.CurateAsync("eval", "run", eval, "--gate", "base.exact_match >= finetuned.exact_match + 2");
        Assert.Equal(ExitCodes.GateFailed, gated.ExitCode);
        Assert.Contains("curate eval: gate failed: base.exact_match >= finetuned.exact_match + 2 (", gated.Error, StringComparison.Ordinal);
        Assert.Equal(servedAfterFirst, fixture.AnsweredByServer);
    }

    [Fact]
    public async Task Interrupted_KeepsFinishedCalls_AndTheRerunAsksOnlyTheRest()
    {
        var eval = fixture.WriteEval(_temp);
        var definition = EvalHarness.Load(eval, []);
        definition = definition with { Arms = [definition.Arm("api")] };
        using var cancellation = new CancellationTokenSource();
        var progress = new CancelAfter(5, cancellation);
        var servedBefore = fixture.AnsweredByServer;

        var interrupted = await new EvalHarness(definition, new EvalRunOptions(), TimeProvider.System, progress).RunAsync(cancellation.Token);

        Assert.True(interrupted.Interrupted);
        Assert.InRange(interrupted.CallsMade, 5, 23);
        Assert.False(File.Exists(_temp.File("out/report.md")));
        var resumed = await new EvalHarness(definition, new EvalRunOptions(), TimeProvider.System, SilentProgress.Instance).RunAsync(CancellationToken.None);

        Assert.False(resumed.Interrupted);
        Assert.Equal(24, interrupted.CallsMade + resumed.CallsMade);
        Assert.Equal(interrupted.CallsMade, resumed.Report!.Arms[0].CacheHits);
        Assert.InRange(fixture.AnsweredByServer - servedBefore, 24, 24 + 4);
    }

    private List<JsonNode> ReadResults() =>
        File.ReadLines(_temp.File("out/results.jsonl")).Select(line => JsonNode.Parse(line)!).ToList();

    private sealed class CancelAfter(int calls, CancellationTokenSource cancellation) : IEvalProgress
    {
        private int _finished;

        public void ArmStarted(string arm, int calls, int cached)
        {
        }

        public void CallFinished(string arm, bool failed)
        {
            if (Interlocked.Increment(ref _finished) == calls)
            {
                cancellation.Cancel();
            }
        }

        public void ArmFinished(string arm)
        {
        }

        public void Note(string line)
        {
        }
    }
}
