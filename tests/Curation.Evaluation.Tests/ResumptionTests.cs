using Curation.Evaluation.Arms;
using Curation.Evaluation.Store;
using Curation.Evaluation.Tests.Faults;
using Curation.TestKit;

namespace Curation.Evaluation.Tests;

/// <summary>A rerun resumes through the response cache: calls that finished before make no HTTP request.</summary>
public sealed class ResumptionTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestClock _clock = new(ArmRun.AttemptTimeout);

    private string StorePath => _folder.File("store.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ARerun_AsksOnlyForTheCallsThatFailed()
    {
        var healthy = false;
        await using var server = await FaultServer.StartAsync(
            request => !Volatile.Read(ref healthy) && QuestionOf(request) is "Question 4?" or "Question 5?"
                ? new Fault.Status(400)
                : new Fault.Answer($"answer to {QuestionOf(request)}"),
            _clock);
        var calls = ArmRun.Calls(8);

        var first = await RunAsync(server, calls);
        Assert.Equal(8, server.Count);
        Assert.Equal(2, first.Count(answered => answered.Answer.Failed));

        Volatile.Write(ref healthy, true);
        var second = await RunAsync(server, calls);

        Assert.Equal(10, server.Count);
        Assert.Equal(["Question 4?", "Question 5?"], server.Requests.Skip(8).Select(QuestionOf).Order());
        Assert.All(second, answered => Assert.Equal($"answer to Question {answered.Call.Item}?", answered.Answer.Text));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1], second.Select(answered => answered.Answer.Attempts).Order());

        var third = await RunAsync(server, calls);

        Assert.Equal(10, server.Count);
        Assert.All(third, answered => Assert.Equal(0, answered.Answer.Attempts));
        using var store = EvalStore.Open(StorePath, _clock);
        var runs = store.Runs.ListRuns();
        Assert.Equal(3, runs.Count);
        Assert.Equal([6, 8, 8], runs.Select(run => store.Runs.CallsOf(run.RunId).Count(call => call.Error is null)));
        Assert.Equal([0, 6, 8], runs.Select(run => CacheHits(store, run)));
    }

    [Fact]
    public async Task ARunStoppedPartWay_KeepsWhatFinished_AndTheRerunAsksForTheRestOnly()
    {
        using var gate = new SemaphoreSlim(0);
        var held = true;
        await using var server = await FaultServer.StartAsync(
            request => Volatile.Read(ref held) ? new Fault.Held($"answer to {QuestionOf(request)}", gate) : new Fault.Answer($"answer to {QuestionOf(request)}"),
            _clock);
        var calls = ArmRun.Calls(10);
        using var stop = new CancellationTokenSource();

        string runId;
        using (var store = EvalStore.Open(StorePath, _clock))
        {
            runId = store.Runs.BeginRun("cfg", ["api"]);
            await using var arm = new CachingArm(new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(concurrency: 2)), _clock), store.Cache, "v1");
            gate.Release(3);
            var finished = 0;
            await foreach (var answered in arm.AnswerAsync(calls, stop.Token))
            {
                store.Runs.RecordCall(runId, CallRecord.Of(arm.Name, $"item-{answered.Call.Item}", answered.Call.Repeat, "v1", answered.Answer, null));
                if (++finished == 3)
                {
                    await stop.CancelAsync();
                }
            }

            store.Runs.FinishRun(runId, RunStatus.Interrupted);
        }

        var beforeRerun = server.Count;
        Volatile.Write(ref held, false);
        var rerun = await RunAsync(server, calls);

        using var reopened = EvalStore.Open(StorePath, _clock);
        var recorded = reopened.Runs.CallsOf(runId);
        Assert.Equal(3, recorded.Count);
        Assert.Equal(RunStatus.Interrupted, reopened.Runs.ListRuns().Single(run => run.RunId == runId).Status);
        Assert.Equal(7, server.Count - beforeRerun);
        var askedAgain = server.Requests.Skip(beforeRerun).Select(QuestionOf).ToHashSet();
        Assert.All(recorded, call => Assert.DoesNotContain($"Question {call.ItemId["item-".Length..]}?", askedAgain));
        Assert.Equal(10, rerun.Count);
        Assert.Equal(3, rerun.Count(answered => answered.Answer.Attempts == 0));
        Assert.All(rerun, answered => Assert.Equal($"answer to Question {answered.Call.Item}?", answered.Answer.Text));
    }

    private async Task<List<AnsweredCall>> RunAsync(FaultServer server, IReadOnlyList<ArmCall> calls)
    {
        using var store = EvalStore.Open(StorePath, _clock);
        var runId = store.Runs.BeginRun("cfg", ["api"]);
        await using var arm = new CachingArm(new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(concurrency: 3)), _clock), store.Cache, "v1");
        var answers = new List<AnsweredCall>();
        await foreach (var answered in arm.AnswerAsync(calls, CancellationToken.None))
        {
            store.Runs.RecordCall(runId, CallRecord.Of(arm.Name, $"item-{answered.Call.Item}", answered.Call.Repeat, "v1", answered.Answer, null));
            answers.Add(answered);
        }

        store.Runs.FinishRun(runId, RunStatus.Completed);
        return answers;
    }

    private static int CacheHits(EvalStore store, RunRecord run) => store.Runs.CallsOf(run.RunId).Count(call => call.CacheHit);

    private static string QuestionOf(SeenRequest request) => (string)request.Body["messages"]!.AsArray()[^1]!["content"]!;
}
