using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary><c>exact_match</c>: the answer is the expected answer, character for character, once both are trimmed.</summary>
internal sealed class ExactMatchMetric : IMetric
{
    public string Name => "exact_match";

    public bool AppliesTo(GoldenItem item) => item.Expected is not null;

    public double Score(GoldenItem item, string answer) =>
        string.Equals(PythonText.Strip(answer), PythonText.Strip(item.Expected!), StringComparison.Ordinal) ? 1 : 0;
}
