using System.Collections.Concurrent;

namespace Curation.Evaluation.Resilience;

/// <summary>Failed attempts of one arm by error kind; safe to add to from concurrent calls.</summary>
internal sealed class FailureCounts
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Add(string kind) => _counts.AddOrUpdate(kind, 1, static (_, count) => count + 1);

    public int this[string kind] => _counts.GetValueOrDefault(kind);

    public int Total => _counts.Values.Sum();

    /// <summary>A copy, ordered by kind, for reports.</summary>
    public IReadOnlyDictionary<string, int> Snapshot() =>
        new SortedDictionary<string, int>(_counts.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal), StringComparer.Ordinal);
}
