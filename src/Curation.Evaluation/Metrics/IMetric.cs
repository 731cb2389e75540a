using Curation.Evaluation.Arms;
using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// A deterministic measure of one answer to one golden item, in [0, 1]. Whether it applies depends on the item alone
/// (an <c>exact_match</c> needs an expected answer, a <c>json_schema</c> a schema), never on the answer, so every arm is
/// scored on the same items.
/// </summary>
internal interface IMetric
{
    /// <summary>The name in configs, reports and gates (<c>exact_match</c>, <c>token_f1</c>).</summary>
    string Name { get; }

    /// <summary>Whether <paramref name="item"/> has what this metric needs.</summary>
    bool AppliesTo(GoldenItem item);

    /// <summary>The score of <paramref name="answer"/>; called only for an item the metric applies to.</summary>
    double Score(GoldenItem item, string answer);
}

internal static class MetricScoring
{
    /// <summary>
    /// The score of an arm's answer, or null when the item lacks what the metric needs. A failed answer scores 0 on
    /// every metric that applies (the harness counts the failure separately).
    /// </summary>
    public static double? ScoreOf(this IMetric metric, GoldenItem item, ArmAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return metric.ScoreOf(item, answer.Text);
    }

    /// <summary>As <see cref="ScoreOf(IMetric, GoldenItem, ArmAnswer)"/>, with null for a failed answer.</summary>
    public static double? ScoreOf(this IMetric metric, GoldenItem item, string? answer)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(item);
        if (!metric.AppliesTo(item))
        {
            return null;
        }

        return answer is null ? 0 : metric.Score(item, answer);
    }
}
