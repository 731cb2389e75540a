using Curation.Evaluation.Gates;
using Curation.Evaluation.Scoring;

namespace Curation.Evaluation.Reports;

/// <summary>Everything a finished eval run shows: what report.md, report.html and the console summary print.</summary>
internal sealed record EvalReport(
    string Name,
    string RunId,
    DateTimeOffset Started,
    int Items,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<ArmSummary> Arms,
    IReadOnlyList<ArmComparison> Pairs,
    IReadOnlyList<TagSummary> Tags,
    IReadOnlyList<PairwiseSummary> Pairwise,
    IReadOnlyList<LeakRow> Leaks,
    IReadOnlyList<GateOutcome> Gates,
    IReadOnlyList<ItemRow> ItemRows)
{
    /// <summary>Items of arms asked more than once whose answers did not all agree, least stable first.</summary>
    public IReadOnlyList<UnstableItem> UnstableItems { get; init; } = [];

    /// <summary>The metric charts and regressions are ordered by: the first one configured.</summary>
    public string? PrimaryMetric => Metrics.Count > 0 ? Metrics[0] : null;
}

/// <param name="Kind"><c>local</c> or <c>api</c>.</param>
/// <param name="Errors">Failed calls by error kind.</param>
/// <param name="Stability">Mean share of repeats agreeing with each item's majority answer; null with one repeat.</param>
internal sealed record ArmSummary(
    string Name,
    string Kind,
    string Model,
    string PromptVersion,
    int Calls,
    int CacheHits,
    IReadOnlyDictionary<string, int> Errors,
    IReadOnlyList<MetricSummary> Metrics,
    long InputTokens,
    long OutputTokens,
    double Cost,
    double CostPer1000Items,
    double P50LatencyMs,
    double P95LatencyMs,
    double TokensPerSecond,
    double? Stability)
{
    /// <summary>Failed attempts by kind, retried ones included (API arms); empty when none failed.</summary>
    public IReadOnlyDictionary<string, int> FailedAttempts { get; init; } = new Dictionary<string, int>();

    public int ErrorCount => Errors.Values.Sum();

    public double ErrorRate => Calls == 0 ? 0 : (double)ErrorCount / Calls;

    public MetricSummary? Metric(string name) => Metrics.FirstOrDefault(metric => metric.Metric == name && metric.Mean is not null);
}

/// <summary>An item an arm answered differently across repeats: how many of its answers agree with the most common one.</summary>
internal sealed record UnstableItem(string Arm, string ItemId, int Agreeing, int Answers, string MajorityAnswer);

internal sealed record LeakRow(string GoldenId, string TrainingId, double Jaccard);

/// <summary>One golden item with every arm's first answer.</summary>
internal sealed record ItemRow(string Id, IReadOnlyList<string> Tags, string Prompt, string? Expected, IReadOnlyList<ItemAnswer> Answers);

/// <param name="Scores">Metric name to score; a metric that did not apply is absent.</param>
internal sealed record ItemAnswer(string Arm, string? Text, string? Error, IReadOnlyDictionary<string, double> Scores);
