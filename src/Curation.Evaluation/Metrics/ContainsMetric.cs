using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// <c>contains</c>: the normalised expected answer appears in the normalised answer as whole words ("paris" is in
/// "it is paris france", not in "parisian"). An expected answer that normalises to nothing ("The.") has nothing to look
/// for, so the metric does not apply to its item.
/// </summary>
internal sealed class ContainsMetric : IMetric
{
    public string Name => "contains";

    public bool AppliesTo(GoldenItem item) => item.Expected is not null && SquadText.Normalize(item.Expected).Length > 0;

    public double Score(GoldenItem item, string answer) =>
        $" {SquadText.Normalize(answer)} ".Contains($" {SquadText.Normalize(item.Expected!)} ", StringComparison.Ordinal) ? 1 : 0;
}
