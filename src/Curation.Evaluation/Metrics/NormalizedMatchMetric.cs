using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary><c>normalized_match</c>: SQuAD's exact match, equal once both are normalised (<see cref="SquadText"/>).</summary>
internal sealed class NormalizedMatchMetric : IMetric
{
    public string Name => "normalized_match";

    public bool AppliesTo(GoldenItem item) => item.Expected is not null;

    public double Score(GoldenItem item, string answer) =>
        string.Equals(SquadText.Normalize(answer), SquadText.Normalize(item.Expected!), StringComparison.Ordinal) ? 1 : 0;
}
