namespace Curation.Evaluation.Scoring;

/// <summary>
/// The rows collapsed to one score per arm, metric and item: the mean of the item's scored repeats, summed in repeat
/// order so the same rows give the same bits whatever order they arrived in. Items are kept in id order.
/// </summary>
internal sealed class ItemScores
{
    private static readonly SortedDictionary<string, double> Empty = new(StringComparer.Ordinal);

    private readonly Dictionary<(string Arm, string Metric), SortedDictionary<string, double>> _scores = [];
    private readonly Dictionary<(string Arm, string Metric), int> _errors = [];

    /// <exception cref="ArgumentException">Two rows for the same arm, item, repeat and metric.</exception>
    public ItemScores(IEnumerable<ScoredRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var seen = new HashSet<(string, string, int, string)>();
        var repeats = new Dictionary<(string Arm, string Metric, string Item), SortedDictionary<int, double>>();
        foreach (var row in rows)
        {
            if (!seen.Add((row.Arm, row.ItemId, row.Repeat, row.Metric)))
            {
                throw new ArgumentException($"two scores of arm {row.Arm}, item {row.ItemId}, repeat {row.Repeat}, metric {row.Metric}");
            }

            var key = (row.Arm, row.Metric);
            _errors[key] = _errors.GetValueOrDefault(key) + (row.Failed ? 1 : 0);
            if (!_scores.ContainsKey(key))
            {
                _scores[key] = new SortedDictionary<string, double>(StringComparer.Ordinal);
            }

            if (row.Score is { } score)
            {
                if (!repeats.TryGetValue((row.Arm, row.Metric, row.ItemId), out var byRepeat))
                {
                    repeats[(row.Arm, row.Metric, row.ItemId)] = byRepeat = [];
                }

                byRepeat[row.Repeat] = score;
            }
        }

        foreach (var ((arm, metric, item), byRepeat) in repeats)
        {
            var sum = 0.0;
            foreach (var score in byRepeat.Values)
            {
                sum += score;
            }

            _scores[(arm, metric)][item] = sum / byRepeat.Count;
        }
    }

    public IEnumerable<string> Arms => _scores.Keys.Select(k => k.Arm).Distinct();

    public IEnumerable<string> Metrics => _scores.Keys.Select(k => k.Metric).Distinct();

    /// <summary>The item scores of an arm on a metric, by item id in ordinal order (empty when it scored none).</summary>
    public IReadOnlyDictionary<string, double> Of(string arm, string metric) =>
        _scores.TryGetValue((arm, metric), out var scores) ? scores : Empty;

    /// <summary>Failed rows of an arm on a metric.</summary>
    public int ErrorsOf(string arm, string metric) => _errors.GetValueOrDefault((arm, metric));
}
