using System.Globalization;

namespace Curation.Core.Runtime;

/// <summary>
/// Whether a run that ran to the end produced something to trust: it kept at least one record, and no input file
/// had more of its records rejected when read than its <c>max_reject_fraction</c> allows (a wrong delimiter,
/// encoding or column type rejects nearly every row and would otherwise pass as a small, clean dataset).
/// </summary>
public static class ResultChecks
{
    public const double DefaultMaxRejectFraction = 0.5;

    /// <param name="maxRejectFraction">The share of a file's records the read stage may reject, by the file's display path.</param>
    /// <param name="hint">A one-line guess at why a file was rejected (delimiter, encoding, column types), or null.</param>
    public static IReadOnlyList<string> FindProblems(RunResult result, Func<string, double> maxRejectFraction, Func<string, string?> hint)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(maxRejectFraction);
        ArgumentNullException.ThrowIfNull(hint);
        var culture = CultureInfo.InvariantCulture;
        var problems = new List<string>();
        foreach (var input in result.Inputs)
        {
            if (input.Items == 0 || !result.ReadRejectsByFile.TryGetValue(input.Path, out var rules))
            {
                continue;
            }

            var rejected = rules.Values.Sum();
            var allowed = maxRejectFraction(input.Path);
            if (rejected > allowed * input.Items)
            {
                var because = hint(input.Path) is { } text ? "; " + text : string.Empty;
                problems.Add(string.Create(
                    culture,
                    $"{input.Path}: {rejected} of {input.Items} records ({100.0 * rejected / input.Items:0.#}%) could not be read ({Rules(rules)}), more than max_reject_fraction {allowed} allows{because}"));
            }
        }

        if (result.RecordsWritten == 0)
        {
            var read = result.Stats.Stages.Count > 0 ? result.Stats.Stages[0].Input : 0;
            problems.Add(read == 0
                ? string.Create(culture, $"no records: the {result.Inputs.Count} input file(s) hold none")
                : string.Create(culture, $"kept no record: all {read} were rejected ({Rules(result.Stats.Stages.SelectMany(stage => stage.RejectsByRule).GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value)))}); see the rejects file"));
        }

        return problems;
    }

    private static string Rules(IEnumerable<KeyValuePair<string, long>> rules) =>
        string.Join(", ", rules.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value}")));
}
