using System.Text.RegularExpressions;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// Reads a judge's verdict line; the last one counts, as judges restate the format before answering. A grade is
/// <c>Score: N</c> with N from 1 to 5, optionally "/5" or "out of 5" after it and markdown emphasis around it
/// (<c>**Score:** 4</c>); "Score: 4.5", "Score: 4/10" and "Score: 7" are not grades. A comparison is <c>Winner: A</c>,
/// <c>Winner: B</c> or <c>Winner: tie</c>.
/// </summary>
internal static partial class JudgeVerdicts
{
    /// <summary>The grade, 1 to 5, or null when the reply has no grade line.</summary>
    public static int? Grade(string reply) =>
        ScoreLine().Matches(reply) is { Count: > 0 } lines ? lines[^1].Groups["grade"].Value[0] - '0' : null;

    /// <summary>A grade from 1 to 5 on the metric's [0, 1] scale: 1 is 0, 5 is 1.</summary>
    public static double Scale(int grade) => (grade - 1) / 4.0;

    /// <summary>"A", "B" or "tie", or null when the reply names no winner.</summary>
    public static string? Winner(string reply) =>
        WinnerLine().Matches(reply) is { Count: > 0 } lines ? lines[^1].Groups["winner"].Value.ToUpperInvariant() switch
        {
            "A" => "A",
            "B" => "B",
            _ => "tie",
        } : null;

    [GeneratedRegex(@"^[ \t>#*_-]*score[ \t*_]*[:=][ \t*_]*(?<grade>[1-5])(?:[ \t]*(?:/|out of)[ \t]*5)?(?![0-9/]|[.,][0-9]|[ \t]*(?:/|out of))", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ScoreLine();

    [GeneratedRegex(@"^[ \t>#*_-]*winner[ \t*_]*[:=][ \t*_]*(?:answer[ \t]+)?(?<winner>a|b|tie)(?![\p{L}\p{N}_])", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex WinnerLine();
}
