using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// <c>token_f1</c>: SQuAD v1.1's <c>f1_score</c>, the harmonic mean of precision and recall of the normalised words
/// shared (as multisets) by answer and expected answer; 0 when they share none, an empty side included.
/// </summary>
internal sealed class TokenF1Metric : IMetric
{
    public string Name => "token_f1";

    public bool AppliesTo(GoldenItem item) => item.Expected is not null;

    public double Score(GoldenItem item, string answer)
    {
        var predicted = SquadText.Tokens(answer);
        var expected = SquadText.Tokens(item.Expected!);
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in expected)
        {
            remaining[token] = remaining.GetValueOrDefault(token) + 1;
        }

        var same = 0;
        foreach (var token in predicted)
        {
            if (remaining.TryGetValue(token, out var count) && count > 0)
            {
                remaining[token] = count - 1;
                same++;
            }
        }

        if (same == 0)
        {
            return 0;
        }

        var precision = 1.0 * same / predicted.Count;
        var recall = 1.0 * same / expected.Count;
        return 2 * precision * recall / (precision + recall);
    }
}
