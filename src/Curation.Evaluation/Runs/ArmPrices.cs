using Curation.Evaluation.Arms;
using Curation.Evaluation.Config;

namespace Curation.Evaluation.Runs;

/// <summary>
/// What a call costs: API arms by their usage tokens at the configured price per million; local arms by the
/// machine's time at the price per hour, where a call's share is its latency divided by the sequences decoded together.
/// </summary>
internal sealed class ArmPrices(PriceOptions price, int sharedBy)
{
    public double CostOf(ArmAnswer answer) =>
        (answer.InputTokens * price.InputPerMillion + answer.OutputTokens * price.OutputPerMillion) / 1_000_000
        + price.PerHour * answer.Latency.TotalHours / Math.Max(1, sharedBy);
}
