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

    /// <summary>
    /// Every candidate it holds and may still choose. A selector built from parts of the input (shard tasks) is
    /// offered again, part after part, what each part's selector held, through <see cref="Restore"/>, with the counts
    /// of <see cref="Offered"/> added: it must then choose what one selector offered the whole input chooses.
    /// </summary>
    /// <exception cref="NotSupportedException">The selector cannot be built from parts.</exception>
    internal virtual IEnumerable<ReviewCandidate> Held() => throw new NotSupportedException($"{Describe()}: cannot be built from parts of the input");

    /// <summary>Offers a candidate that another selector held; it counts nothing (its counts come with <see cref="AddOffered"/>).</summary>
    internal virtual void Restore(ReviewCandidate candidate) => Offer(candidate);

    /// <summary>How many candidates it was offered, by what it counts them by (nothing, for a selector that does not count).</summary>
    internal virtual IReadOnlyDictionary<string, long> Offered() => new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Adds the counts another selector of the same kind was offered.</summary>
    internal virtual void AddOffered(IReadOnlyDictionary<string, long> offered)
    {
    }

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

    /// <summary>
    /// The kept values, smallest key first. Of equal (key, tiebreak) the first offered is kept and a later one never,
    /// so the values kept of several streams, offered again stream after stream in their order, are the values kept
    /// of the streams joined.
    /// </summary>
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
