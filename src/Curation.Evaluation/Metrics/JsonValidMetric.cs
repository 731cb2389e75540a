using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary><c>json_valid</c>: the answer, or its first <c>```json</c> block, is JSON (<see cref="JsonAnswer"/>). Applies to every item.</summary>
internal sealed class JsonValidMetric : IMetric
{
    public string Name => "json_valid";

    public bool AppliesTo(GoldenItem item) => true;

    public double Score(GoldenItem item, string answer)
    {
        using var document = JsonAnswer.Parse(answer);
        return document is null ? 0 : 1;
    }
}
