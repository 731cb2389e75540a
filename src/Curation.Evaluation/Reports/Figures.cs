using System.Globalization;

namespace Curation.Evaluation.Reports;

/// <summary>How the reports print numbers: invariant culture, fixed precision per kind of figure.</summary>
internal static class Figures
{
    public static string Score(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Signed(double value) => value.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture);

    public static string Money(double value) => value.ToString(value >= 100 ? "0" : value >= 1 ? "0.00" : "0.0000", CultureInfo.InvariantCulture);

    public static string Milliseconds(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    public static string Rate(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Interval(Statistics.Interval interval) =>
        $"{Score(interval.Estimate)} [{Score(interval.Lower)}, {Score(interval.Upper)}]";

    public static string Errors(ArmSummary arm) =>
        arm.ErrorCount == 0 ? "0" : $"{arm.ErrorCount} ({string.Join(", ", arm.Errors.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"))})";

    /// <summary>Arms with failed attempts: <c>api: connection-refused 3, circuit-open 21</c>; empty when none failed.</summary>
    public static IEnumerable<string> FailedAttempts(EvalReport report) =>
        report.Arms.Where(arm => arm.FailedAttempts.Count > 0).Select(arm =>
            $"{arm.Name}: {string.Join(", ", arm.FailedAttempts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"))}");

    /// <summary>Items where <paramref name="candidate"/> scored furthest below another arm on <paramref name="metric"/>.</summary>
    public static IReadOnlyList<(ItemRow Item, string Against, double Drop)> WorstRegressions(EvalReport report, string candidate, string metric, int count)
    {
        var found = new List<(ItemRow, string, double)>();
        foreach (var item in report.ItemRows)
        {
            var mine = item.Answers.FirstOrDefault(answer => answer.Arm == candidate);
            if (mine is null || !mine.Scores.TryGetValue(metric, out var own))
            {
                continue;
            }

            var worst = item.Answers
                .Where(answer => answer.Arm != candidate && answer.Scores.ContainsKey(metric))
                .Select(answer => (answer.Arm, Drop: answer.Scores[metric] - own))
                .Where(pair => pair.Drop > 0)
                .OrderByDescending(pair => pair.Drop)
                .ThenBy(pair => pair.Arm, StringComparer.Ordinal)
                .FirstOrDefault();
            if (worst.Arm is not null)
            {
                found.Add((item, worst.Arm, worst.Drop));
            }
        }

        return found.OrderByDescending(row => row.Item3).ThenBy(row => row.Item1.Id, StringComparer.Ordinal).Take(count).ToArray();
    }
}
