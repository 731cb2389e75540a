using System.Runtime.CompilerServices;
using Curation.Evaluation.Runs;

namespace Curation.Evaluation.Arms;

/// <summary>
/// An arm behind the response cache: calls the cache holds are answered from it (with <see cref="ArmAnswer.Attempts"/>
/// 0) and never reach the arm; answers the arm gives are stored as they arrive. A failed call is not stored, so a
/// rerun asks again.
/// </summary>
internal sealed class CachedArm(IEvalArm inner, IEvalRunStore store, string promptVersion, bool read, bool write) : IEvalArm
{
    public string Name => inner.Name;

    public string Identity => inner.Identity;

    public bool IsCacheHit(AnsweredCall answered) => answered.Answer.Attempts == 0;

    public int CountCached(IReadOnlyList<ArmCall> calls) =>
        read ? calls.Count(call => store.TryGetCached(inner.Identity, promptVersion, call, out _)) : 0;

    public async IAsyncEnumerable<AnsweredCall> AnswerAsync(IReadOnlyList<ArmCall> calls, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var toAsk = new List<ArmCall>(calls.Count);
        foreach (var call in calls)
        {
            if (read && store.TryGetCached(inner.Identity, promptVersion, call, out var cached))
            {
                yield return new AnsweredCall(call, cached with { Attempts = 0 });
            }
            else
            {
                toAsk.Add(call);
            }
        }

        if (toAsk.Count == 0 || cancellationToken.IsCancellationRequested)
        {
            yield break;
        }

        await foreach (var answered in inner.AnswerAsync(toAsk, cancellationToken).ConfigureAwait(false))
        {
            if (write && !answered.Answer.Failed)
            {
                store.PutCached(inner.Identity, promptVersion, answered.Call, answered.Answer);
            }

            yield return answered;
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
