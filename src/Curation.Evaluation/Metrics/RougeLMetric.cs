using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// <c>rouge_l</c>: ROUGE-L F-measure as Google's rouge-score package computes it (<c>RougeScorer(["rougeL"])</c>,
/// no stemmer): the longest common subsequence of the tokens of expected answer (target) and answer (prediction),
/// precision over the answer's tokens, recall over the expected answer's, their harmonic mean; 0 when either side has
/// no token. Tokens are that package's default: lower case, every run of characters other than a-z and 0-9 a
/// separator, so words in other scripts drop out.
/// </summary>
internal sealed class RougeLMetric : IMetric
{
    public string Name => "rouge_l";

    public bool AppliesTo(GoldenItem item) => item.Expected is not null;

    public double Score(GoldenItem item, string answer)
    {
        var target = Tokenize(item.Expected!);
        var prediction = Tokenize(answer);
        if (target.Count == 0 || prediction.Count == 0)
        {
            return 0;
        }

        var common = LongestCommonSubsequence(target, prediction);
        var precision = (double)common / prediction.Count;
        var recall = (double)common / target.Count;
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    }

    /// <summary>rouge-score's <c>tokenize.tokenize(text, None)</c>: Python's lower case, then runs of [a-z0-9].</summary>
    internal static List<string> Tokenize(string text)
    {
        var lowered = PythonText.Lower(text);
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= lowered.Length; i++)
        {
            var inToken = i < lowered.Length && lowered[i] is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (inToken && start < 0)
            {
                start = i;
            }
            else if (!inToken && start >= 0)
            {
                tokens.Add(lowered[start..i]);
                start = -1;
            }
        }

        return tokens;
    }

    private static int LongestCommonSubsequence(List<string> first, List<string> second)
    {
        var previous = new int[second.Count + 1];
        var current = new int[second.Count + 1];
        for (var i = 1; i <= first.Count; i++)
        {
            for (var j = 1; j <= second.Count; j++)
            {
                current[j] = string.Equals(first[i - 1], second[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[second.Count];
    }
}
