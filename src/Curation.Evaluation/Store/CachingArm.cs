using System.Runtime.CompilerServices;
using Curation.Evaluation.Arms;

namespace Curation.Evaluation.Store;

/// <summary>
/// An arm in front of the response cache: a call answered before (same arm identity, prompt version, messages,
/// parameters and repeat) is handed back from the cache with no attempt; the rest go to the inner arm, and each of
/// its successful answers is cached as it arrives. Failures are not cached, so a rerun asks again.
/// </summary>
/// <param name="read">Answer from the cache (off for <c>--refresh</c> and <c>--no-cache</c>).</param>
/// <param name="write">Store new answers (off for <c>--no-cache</c>).</param>
internal sealed class CachingArm(IEvalArm inner, ResponseCache cache, string promptVersion, bool read = true, bool write = true) : IEvalArm
{
    public string Name => inner.Name;

    public string Identity => inner.Identity;

    /// <summary>Whether <paramref name="answered"/> came from the cache: an answer of no attempts.</summary>
    public static bool IsCacheHit(AnsweredCall answered) => answered.Answer.Attempts == 0;

    /// <summary>How many of <paramref name="calls"/> the cache would answer.</summary>
    public int CountCached(IReadOnlyList<ArmCall> calls) => read ? calls.Count(call => cache.Get(KeyOf(call)) is not null) : 0;

    public async IAsyncEnumerable<AnsweredCall> AnswerAsync(IReadOnlyList<ArmCall> calls, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var misses = new List<ArmCall>();
        foreach (var call in calls)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            if (read && cache.Get(KeyOf(call)) is { } cached)
            {
                yield return new AnsweredCall(call, cached);
            }
            else
            {
                misses.Add(call);
            }
        }

        if (misses.Count == 0)
        {
            yield break;
        }

        await foreach (var answered in inner.AnswerAsync(misses, cancellationToken))
        {
            if (write && !answered.Answer.Failed)
            {
                cache.Put(KeyOf(answered.Call), answered.Answer);
            }

            yield return answered;
        }
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private string KeyOf(ArmCall call) => CacheKey.Of(inner.Identity, promptVersion, call);
}
