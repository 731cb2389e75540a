using System.Globalization;
using System.Text.RegularExpressions;

namespace Curation.Splits;

/// <summary>The named splits in the order the config gives them, with their shares as exact decimals.</summary>
internal sealed partial record SplitRatios(IReadOnlyList<string> Names, IReadOnlyList<decimal> Shares)
{
    /// <summary>Splits are numbered in a byte per record.</summary>
    public const int MaxSplits = 255;

    // Ratios written to three or four decimals (0.333, 0.3333) may miss 1 by a little; they are then scaled to sum to 1.
    private const decimal SumTolerance = 0.001m;

    public static bool TryParse(IReadOnlyDictionary<string, string> splits, out SplitRatios ratios, out string error)
    {
        ratios = new SplitRatios([], []);
        if (splits is null || splits.Count == 0)
        {
            error = "expected split names with their shares, e.g. {train: 0.8, validation: 0.1, test: 0.1}";
            return false;
        }

        if (splits.Count > MaxSplits)
        {
            error = $"at most {MaxSplits} splits, got {splits.Count}";
            return false;
        }

        var names = new List<string>();
        var shares = new List<decimal>();
        foreach (var (name, text) in splits)
        {
            if (!SplitName().IsMatch(name))
            {
                error = $"split name '{name}' must be lower-case letters, digits, '_' or '-' (it names a file)";
                return false;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0 || value > 1)
            {
                error = $"split '{name}': expected a share from 0 to 1, got '{text}'";
                return false;
            }

            names.Add(name);
            shares.Add((decimal)value);
        }

        var sum = shares.Sum();
        if (Math.Abs(sum - 1) > SumTolerance)
        {
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"split shares must sum to 1, got {sum} ({string.Join(" + ", names.Select((name, i) => $"{name} {shares[i]}"))})");
            return false;
        }

        ratios = new SplitRatios(names, [.. shares.Select(share => share / sum)]);
        error = string.Empty;
        return true;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex SplitName();
}
