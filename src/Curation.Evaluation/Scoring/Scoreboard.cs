using Curation.Evaluation.Statistics;

namespace Curation.Evaluation.Scoring;

/// <summary>An arm's mean on a metric over the items it scored (null when none), with failed rows counted apart.</summary>
internal sealed record MetricSummary(string Arm, string Metric, Interval? Mean, int Items, int Errors);

/// <summary>Two arms on the items both scored on a metric: the paired difference (first minus second), wins, ties, losses.</summary>
internal sealed record ArmComparison(string First, string Second, string Metric, int Items, PairedComparison Paired);

/// <summary>An arm's mean on a metric over the items with one tag.</summary>
internal sealed record TagSummary(string Tag, string Arm, string Metric, Interval Mean, int Items);

/// <summary>
/// What the report and gates read: per arm and metric the mean with its bootstrap interval, every pair of arms
/// compared, the same means per tag, and the stability of arms asked more than once. The same rows, tags and options
/// give the same numbers whatever order the rows come in.
/// </summary>
internal sealed record Scoreboard(
    IReadOnlyList<MetricSummary> Metrics,
    IReadOnlyList<ArmComparison> Comparisons,
    IReadOnlyList<TagSummary> Tags,
    IReadOnlyList<ArmStability> Stability)
{
    /// <param name="rows">Every metric's score of every answer.</param>
    /// <param name="answers">Every answer's text (for stability; empty to skip it).</param>
    /// <param name="tags">Each item's tags, by item id; items missing from it have none.</param>
    /// <exception cref="ArgumentException">Two rows for one arm, item, repeat and metric (or two answers for one arm, item and repeat).</exception>
    public static Scoreboard Build(IEnumerable<ScoredRow> rows, IEnumerable<AnswerRow> answers, IReadOnlyDictionary<string, IReadOnlyList<string>> tags, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentNullException.ThrowIfNull(options);
        var scores = new ItemScores(rows);
        var arms = Ordered(scores.Arms, options.ArmOrder);
        var metrics = Ordered(scores.Metrics, options.MetricOrder);
        return new Scoreboard(
            SummariesOf(scores, arms, metrics, options),
            ComparisonsOf(scores, arms, metrics, options),
            TagsOf(scores, arms, metrics, tags, options),
            ArmStability.Of(answers, options.ArmOrder));
    }

    /// <summary>The summary of one arm on one metric, or null when the rows have neither.</summary>
    public MetricSummary? SummaryOf(string arm, string metric) => Metrics.FirstOrDefault(m => m.Arm == arm && m.Metric == metric);

    private static List<MetricSummary> SummariesOf(ItemScores scores, List<string> arms, List<string> metrics, ScoringOptions options)
    {
        var summaries = new List<MetricSummary>();
        foreach (var arm in arms)
        {
            foreach (var metric in metrics)
            {
                var items = scores.Of(arm, metric);
                summaries.Add(new MetricSummary(arm, metric, MeanOf([.. items.Values], options), items.Count, scores.ErrorsOf(arm, metric)));
            }
        }

        return summaries;
    }

    private static List<ArmComparison> ComparisonsOf(ItemScores scores, List<string> arms, List<string> metrics, ScoringOptions options)
    {
        var comparisons = new List<ArmComparison>();
        for (var i = 0; i < arms.Count; i++)
        {
            for (var j = i + 1; j < arms.Count; j++)
            {
                foreach (var metric in metrics)
                {
                    var first = scores.Of(arms[i], metric);
                    var second = scores.Of(arms[j], metric);
                    var shared = first.Keys.Where(second.ContainsKey).ToList();
                    if (shared.Count == 0)
                    {
                        continue;
                    }

                    var paired = Bootstrap.Paired([.. shared.Select(id => first[id])], [.. shared.Select(id => second[id])], options.Resamples, options.Seed, options.Confidence, options.Tie);
                    comparisons.Add(new ArmComparison(arms[i], arms[j], metric, shared.Count, paired));
                }
            }
        }

        return comparisons;
    }

    private static List<TagSummary> TagsOf(ItemScores scores, List<string> arms, List<string> metrics, IReadOnlyDictionary<string, IReadOnlyList<string>> tags, ScoringOptions options)
    {
        var breakdown = new List<TagSummary>();
        foreach (var tag in tags.Values.SelectMany(t => t).Distinct().Order(StringComparer.Ordinal))
        {
            foreach (var arm in arms)
            {
                foreach (var metric in metrics)
                {
                    var tagged = scores.Of(arm, metric).Where(s => tags.TryGetValue(s.Key, out var itemTags) && itemTags.Contains(tag)).Select(s => s.Value).ToArray();
                    if (tagged.Length > 0)
                    {
                        breakdown.Add(new TagSummary(tag, arm, metric, MeanOf(tagged, options)!.Value, tagged.Length));
                    }
                }
            }
        }

        return breakdown;
    }

    private static Interval? MeanOf(double[] values, ScoringOptions options) =>
        values.Length == 0 ? null : Bootstrap.Mean(values, options.Resamples, options.Seed, options.Confidence);

    /// <summary>The names in <paramref name="order"/>'s order first, the rest in ordinal order.</summary>
    internal static List<string> Ordered(IEnumerable<string> names, IReadOnlyList<string> order)
    {
        var distinct = names.Distinct().ToList();
        return [.. order.Where(distinct.Contains).Distinct(), .. distinct.Where(n => !order.Contains(n)).Order(StringComparer.Ordinal)];
    }
}
