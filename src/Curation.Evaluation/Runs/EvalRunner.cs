using System.Security.Cryptography;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Config;
using Curation.Evaluation.Golden;
using Curation.Evaluation.Prompts;
using Curation.Evaluation.Store;

namespace Curation.Evaluation.Runs;

/// <summary>
/// Asks every arm every golden item (repeats included), each call answered from the cache when it can be and
/// recorded in the run log as soon as it finishes, so Ctrl+C keeps every finished call and a rerun continues where
/// the last one stopped. API arms run side by side; local arms one at a time, since they share the machine.
/// </summary>
internal sealed class EvalRunner(EvalDefinition definition, EvalStore store, TimeProvider time, IEvalProgress progress, EvalRunOptions runOptions) : IDisposable
{
    private readonly SemaphoreSlim _localTurn = new(1, 1);

    /// <summary>Builds an arm from its options; tests replace it to reach a fault server.</summary>
    public Func<ArmOptions, IEvalArm> CreateArm { get; init; } = arm => ArmFactory.Create(arm, time);

    public void Dispose() => _localTurn.Dispose();

    public async Task<AnsweredRun> RunAsync(IReadOnlyList<GoldenItem> items, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var configHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(definition.File)))[..16];
        var prompts = definition.Arms.ToDictionary(arm => arm.Name!, arm => PromptTemplate.Load(arm.Prompt ?? definition.Options.Prompt), StringComparer.Ordinal);
        var arms = new List<IEvalArm>();
        try
        {
            foreach (var arm in definition.Arms)
            {
                arms.Add(CreateArm(arm));
            }

            var runId = store.Runs.BeginRun(configHash, definition.Arms.Select(arm => arm.Name!).ToArray());
            var records = new List<RunCall>();
            var tasks = definition.Arms.Select((arm, index) => RunArmAsync(arm, arms[index], prompts[arm.Name!], items, runId, records, cancellationToken));
            await Task.WhenAll(tasks);
            var interrupted = cancellationToken.IsCancellationRequested;
            if (interrupted)
            {
                store.Runs.FinishRun(runId, RunStatus.Interrupted);
            }

            var armOrder = definition.Arms.Select((arm, index) => (arm.Name!, index)).ToDictionary(pair => pair.Item1, pair => pair.index, StringComparer.Ordinal);
            var ordered = records
                .OrderBy(record => armOrder[record.Arm])
                .ThenBy(record => record.Item)
                .ThenBy(record => record.Repeat)
                .ToArray();
            var failedAttempts = arms.OfType<ApiArm>().ToDictionary(arm => arm.Name, arm => arm.Failures.Snapshot(), StringComparer.Ordinal);
            return new AnsweredRun(runId, started, items, prompts.ToDictionary(pair => pair.Key, pair => pair.Value.Version, StringComparer.Ordinal), ordered, interrupted)
            {
                FailedAttempts = failedAttempts,
            };
        }
        finally
        {
            foreach (var arm in arms)
            {
                await arm.DisposeAsync();
            }
        }
    }

    private async Task RunArmAsync(
        ArmOptions armOptions, IEvalArm arm, PromptTemplate prompt, IReadOnlyList<GoldenItem> items, string runId, List<RunCall> records, CancellationToken cancellationToken)
    {
        var parameters = armOptions.Parameters ?? definition.Options.Parameters;
        var prices = new ArmPrices(armOptions.Price, ArmFactory.SharedBy(armOptions));
        var calls = new List<ArmCall>(items.Count * armOptions.Repeats);
        for (var item = 0; item < items.Count; item++)
        {
            var messages = prompt.Render(items[item]);
            for (var repeat = 0; repeat < armOptions.Repeats; repeat++)
            {
                calls.Add(new ArmCall(item, repeat, messages, new CallParameters(parameters.MaxTokens, parameters.Temperature, parameters.TopP, definition.Options.Seed + repeat)));
            }
        }

        var cached = new CachingArm(arm, store.Cache, prompt.Version, runOptions.UseCache && !runOptions.Refresh, runOptions.UseCache);
        progress.ArmStarted(arm.Name, calls.Count, cached.CountCached(calls));
        var local = armOptions.Local is not null;
        if (local)
        {
            await _localTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await foreach (var answered in cached.AnswerAsync(calls, cancellationToken).ConfigureAwait(false))
            {
                var (call, answer) = answered;
                var hit = CachingArm.IsCacheHit(answered);
                var cost = prices.CostOf(answer);
                Record(new RunCall(arm.Name, items[call.Item].Id, call.Item, call.Repeat, prompt.Version, answer, hit, hit ? 0 : cost, cost));
                if (!hit)
                {
                    progress.CallFinished(arm.Name, answer.Failed);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (local)
            {
                _localTurn.Release();
            }
        }

        progress.ArmFinished(arm.Name);

        void Record(RunCall record)
        {
            store.Runs.RecordCall(runId, CallRecord.Of(record.Arm, record.ItemId, record.Repeat, record.PromptVersion, record.Answer, record.ListCost));
            lock (records)
            {
                records.Add(record);
            }
        }
    }
}

/// <summary>Every call of a run, ordered by arm (as configured), item and repeat, whatever order they finished in.</summary>
internal sealed record AnsweredRun(
    string RunId, DateTimeOffset Started, IReadOnlyList<GoldenItem> Items, IReadOnlyDictionary<string, string> PromptVersions, IReadOnlyList<RunCall> Calls, bool Interrupted)
{
    /// <summary>Per API arm, its failed attempts by kind, retried ones included (a call's own error is its last).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> FailedAttempts { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, int>>();
}
