using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Curation.Core;
using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// <c>regex</c>: a .NET regular expression pulls the answer out of a longer reply (<c>Answer: (\d+)</c>); its first
/// group, or the whole match when it has none or the group took no part, is compared with the expected answer once
/// both are normalised (<see cref="SquadText"/>). The first match counts; no match scores 0. The item's own
/// <see cref="GoldenItem.Pattern"/> wins over the metric's; an item with neither, or no expected answer, is not scored.
/// </summary>
internal sealed class RegexMetric : IMetric
{
    // A pattern that backtracks this long on one answer is a broken pattern, not a slow answer.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    private readonly string? _pattern;
    private readonly ConcurrentDictionary<string, Regex> _compiled = new(StringComparer.Ordinal);

    /// <exception cref="CurationException"><paramref name="pattern"/> is not a valid regular expression.</exception>
    public RegexMetric(string? pattern = null)
    {
        _pattern = pattern;
        if (pattern is not null)
        {
            Compile(pattern, "metric regex");
        }
    }

    public string Name => "regex";

    public bool AppliesTo(GoldenItem item) => item.Expected is not null && (item.Pattern ?? _pattern) is not null;

    public double Score(GoldenItem item, string answer)
    {
        var pattern = item.Pattern ?? _pattern!;
        var regex = Compile(pattern, $"item {item.Id}");
        Match match;
        try
        {
            match = regex.Match(answer);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new CurationException($"item {item.Id}: regex '{pattern}' ran over {MatchTimeout.TotalSeconds:0} s on one answer; simplify the pattern");
        }

        if (!match.Success)
        {
            return 0;
        }

        var extracted = match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1].Value : match.Value;
        return string.Equals(SquadText.Normalize(extracted), SquadText.Normalize(item.Expected!), StringComparison.Ordinal) ? 1 : 0;
    }

    private Regex Compile(string pattern, string owner) =>
        _compiled.GetOrAdd(pattern, p =>
        {
            try
            {
                return new Regex(p, RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (ArgumentException e)
            {
                throw new CurationException($"{owner}: invalid regex '{p}': {e.Message}");
            }
        });
}
