using Curation.Core;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Store;
using Curation.TestKit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Curation.Evaluation.Tests;

public sealed class EvalStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 20, 15, 30, TimeSpan.Zero));

    private string StorePath => _folder.File("eval/store.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Cache_RoundTripsAnAnswer_AsAnAnswerOfNoAttempts()
    {
        var answer = new ArmAnswer("Ünïcødé ✓ \"quoted\"\nline two", 123, 45, TimeSpan.FromTicks(12_345_678), 3, null, "cheap") { FinishReason = "length" };
        using (var store = EvalStore.Open(StorePath, _clock))
        {
            Assert.Null(store.Cache.Get("k1"));
            store.Cache.Put("k1", answer);
        }

        using var reopened = EvalStore.Open(StorePath, _clock);
        var cached = reopened.Cache.Get("k1");

        Assert.Equal(answer with { Attempts = 0 }, cached);
        Assert.Equal("length", cached!.FinishReason);
        Assert.Null(reopened.Cache.Get("k2"));
        Assert.Equal(1, reopened.Cache.Count);
    }

    [Fact]
    public void Cache_ReplacesAnAnswer_AndRefusesAFailure()
    {
        using var store = EvalStore.Open(StorePath, _clock);
        store.Cache.Put("k", new ArmAnswer("old", 1, 1, TimeSpan.Zero, 1, null, "m"));
        store.Cache.Put("k", new ArmAnswer("new", 2, 2, TimeSpan.Zero, 1, null, "m"));

        Assert.Equal("new", store.Cache.Get("k")!.Text);
        Assert.Throws<ArgumentException>(() => store.Cache.Put("f", new ArmAnswer(null, 0, 0, TimeSpan.Zero, 2, "http-500", "m")));
        Assert.Null(store.Cache.Get("f"));
    }

    [Fact]
    public void RunLog_RoundTripsRunsAndCalls()
    {
        CallRecord[] calls =
        [
            new("finetuned", "item-1", 0, "v2", 10, 5, TimeSpan.FromMilliseconds(812.5), 0.0012, 1, false, null, "ft", "Paris") { FinishReason = "stop" },
            new("finetuned", "item-2", 1, "v2", 0, 0, TimeSpan.FromSeconds(30), null, 5, false, "http-503", "ft", null),
            new("gpt-4o-mini", "item-1", 0, "v2", 10, 7, TimeSpan.FromMilliseconds(3), 0.0, 0, true, null, "gpt-4o-mini", "Paris, France"),
        ];
        string first;
        string second;
        using (var store = EvalStore.Open(StorePath, _clock))
        {
            first = store.Runs.BeginRun("cfg-a", ["finetuned", "gpt-4o-mini"]);
            second = store.Runs.BeginRun("cfg-a", ["finetuned"]);
            foreach (var call in calls)
            {
                store.Runs.RecordCall(first, call);
            }

            _clock.Advance(TimeSpan.FromMinutes(3));
            store.Runs.FinishRun(first, RunStatus.Completed);
        }

        using var reopened = EvalStore.Open(StorePath, _clock);
        var runs = reopened.Runs.ListRuns();

        Assert.Equal("run-20261202T201530Z", first);
        Assert.Equal("run-20261202T201530Z-2", second);
        Assert.Equal(2, runs.Count);
        var run = runs.Single(run => run.RunId == first);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 20, 15, 30, TimeSpan.Zero), run.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 20, 18, 30, TimeSpan.Zero), run.FinishedAt);
        Assert.Equal("cfg-a", run.ConfigHash);
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(["finetuned", "gpt-4o-mini"], run.Arms);
        var unfinished = runs.Single(run => run.RunId == second);
        Assert.Equal(RunStatus.Running, unfinished.Status);
        Assert.Null(unfinished.FinishedAt);
        Assert.Equal(calls, reopened.Runs.CallsOf(first));
        Assert.Empty(reopened.Runs.CallsOf(second));
    }

    [Fact]
    public void CallRecordOf_TakesTheAnswer_AndCallsNoAttemptsACacheHit()
    {
        var answer = new ArmAnswer("x", 3, 4, TimeSpan.FromSeconds(2), 0, null, "m") { FinishReason = "stop" };

        var record = CallRecord.Of("arm", "item", 2, "v1", answer, 0.5);

        Assert.Equal(new CallRecord("arm", "item", 2, "v1", 3, 4, TimeSpan.FromSeconds(2), 0.5, 0, true, null, "m", "x") { FinishReason = "stop" }, record);
        Assert.False(CallRecord.Of("arm", "item", 2, "v1", answer with { Attempts = 2 }, null).CacheHit);
    }

    [Fact]
    public void AnInterruptedRun_KeepsTheCallsRecordedBeforeTheStop()
    {
        string runId;
        using (var store = EvalStore.Open(StorePath, _clock))
        {
            runId = store.Runs.BeginRun("cfg", ["a"]);
            store.Runs.RecordCall(runId, new CallRecord("a", "i1", 0, "v", 1, 1, TimeSpan.Zero, null, 1, false, null, "m", "t"));
            store.Runs.RecordCall(runId, new CallRecord("a", "i2", 0, "v", 1, 1, TimeSpan.Zero, null, 1, false, null, "m", "t"));
        }

        using var reopened = EvalStore.Open(StorePath, _clock);
        Assert.Equal(["i1", "i2"], reopened.Runs.CallsOf(runId).Select(call => call.ItemId));
        reopened.Runs.FinishRun(runId, RunStatus.Interrupted);
        Assert.Equal(RunStatus.Interrupted, reopened.Runs.ListRuns().Single().Status);
    }

    [Fact]
    public void ConcurrentWrites_FromManyCalls_AndASecondConnection_AllLand()
    {
        using var store = EvalStore.Open(StorePath, _clock);
        using var other = EvalStore.Open(StorePath, _clock);
        var runId = store.Runs.BeginRun("cfg", ["a"]);

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            var target = worker % 2 == 0 ? store : other;
            for (var i = 0; i < 100; i++)
            {
                var item = $"w{worker}-i{i}";
                target.Runs.RecordCall(runId, new CallRecord("a", item, 0, "v", i, i, TimeSpan.FromMilliseconds(i), null, 1, false, null, "m", item));
                target.Cache.Put(item, new ArmAnswer(item, i, i, TimeSpan.Zero, 1, null, "m"));
            }
        });

        var calls = store.Runs.CallsOf(runId);
        Assert.Equal(800, calls.Count);
        Assert.Equal(800, calls.Select(call => call.ItemId).Distinct().Count());
        Assert.Equal(800, other.Cache.Count);
        Assert.Equal("w7-i99", store.Cache.Get("w7-i99")!.Text);
    }

    [Fact]
    public void ANewerSchema_IsAOneLineError()
    {
        using (var store = EvalStore.Open(StorePath, _clock))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 7";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<CurationException>(() => EvalStore.Open(StorePath, _clock));

        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains(StorePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotAStore_IsAOneLineError()
    {
        var path = _folder.Write("notes.db", "these are not the pages of a database, just text that is long enough to fill a header of one");

        var error = Assert.Throws<CurationException>(() => EvalStore.Open(path, _clock));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void TheStoreIsInWalMode_AndRecordsItsSchemaVersion()
    {
        using (var store = EvalStore.Open(StorePath, _clock))
        {
        }

        using var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "PRAGMA user_version";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public void RecordingForAnUnknownRun_IsAnError()
    {
        using var store = EvalStore.Open(StorePath, _clock);

        Assert.Throws<CurationException>(() => store.Runs.RecordCall("run-none", new CallRecord("a", "i", 0, "v", 0, 0, TimeSpan.Zero, null, 1, false, null, "m", "t")));
        Assert.Throws<CurationException>(() => store.Runs.FinishRun("run-none", RunStatus.Completed));
    }
}
