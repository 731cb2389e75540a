using System.IO.Hashing;
using System.Text;

namespace Curation.Review.Queue;

/// <summary>
/// Chooses records for review from a stream of candidates, holding only what it may still choose. Choices depend on
/// the candidates, the seed and the order they come in, never on timing, so an export is reproducible.
/// </summary>
public abstract class ReviewSelector
{
    /// <summary>What the selector chose, for the batch description.</summary>
    public abstract string Describe();

    public abstract void Offer(ReviewCandidate candidate);

    /// <summary>The chosen items, in the order their records came in.</summary>
    public abstract IReadOnlyList<(ReviewCandidate Candidate, string Reason)> Selected();

    /// <summary>A seeded random rank of a record id: the same id and seed always rank the same.</summary>
    protected static ulong Priority(long seed, string id)
    {
        var bytes = Encoding.UTF8.GetBytes(id);
        return XxHash64.HashToUInt64(bytes, seed);
    }
}

/// <summary>Keeps the <c>capacity</c> entries with the smallest (key, tiebreak) seen so far.</summary>
internal sealed class BottomK<T>(int capacity)
{
    private readonly SortedSet<Entry> _entries = new(Comparer<Entry>.Create((a, b) => (a.Key, a.Tiebreak).CompareTo((b.Key, b.Tiebreak))));

    public int Count => _entries.Count;

    /// <summary>The kept values, smallest key first.</summary>
    public IEnumerable<T> Values => _entries.Select(entry => entry.Value);

    public void Offer(double key, ulong tiebreak, T value)
    {
        if (capacity <= 0)
        {
            return;
        }

        var entry = new Entry(key, tiebreak, value);
        if (_entries.Count < capacity)
        {
            _entries.Add(entry);
            return;
        }

        var largest = _entries.Max!;
        if ((key, tiebreak).CompareTo((largest.Key, largest.Tiebreak)) < 0 && _entries.Add(entry))
        {
            _entries.Remove(largest);
        }
    }

    private sealed record Entry(double Key, ulong Tiebreak, T Value);
}
