namespace Curation.Evaluation.Scoring;

/// <summary>
/// One metric's score of one answer: the flat table the harness builds from its results and the scoreboard reads.
/// </summary>
/// <param name="Score">In [0, 1]; null when the metric does not apply to the item or could not score it (a judge error).</param>
/// <param name="Failed">The answer, or the metric's own call (a judge's), failed: counted as an error. A failed arm call
/// has score 0 where the metric applies; a failed judge call has none.</param>
internal sealed record ScoredRow(string Arm, string ItemId, int Repeat, string Metric, double? Score, bool Failed);

/// <summary>One answer's text (null when the call failed), for the stability of arms asked more than once.</summary>
internal sealed record AnswerRow(string Arm, string ItemId, int Repeat, string? Text);

/// <summary>How the scoreboard computes its intervals and orders its rows.</summary>
/// <param name="Tie">Paired scores differing by at most this much are a tie.</param>
internal sealed record ScoringOptions(int Resamples = 10_000, int Seed = 1, double Confidence = 0.95, double Tie = 0)
{
    /// <summary>Arms in this order first (the config's), the rest by name; the first of a pair is the earlier arm.</summary>
    public IReadOnlyList<string> ArmOrder { get; init; } = [];

    /// <summary>Metrics in this order first, the rest by name.</summary>
    public IReadOnlyList<string> MetricOrder { get; init; } = [];
}
