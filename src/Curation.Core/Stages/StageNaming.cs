using System.Text.RegularExpressions;

namespace Curation.Core.Stages;

/// <summary>
/// The one spelling of stage kinds and reject rules, in every project: kebab-case, lower-case ASCII letters and digits
/// in words joined by single hyphens (<c>near-dedup</c>, <c>gopher-duplicate-lines</c>, <c>invalid-utf8</c>).
/// </summary>
public static partial class StageNaming
{
    public const string Convention = "lower-case letters and digits, words joined by single hyphens, e.g. 'near-dedup'";

    public static bool IsValid(string name) => name is not null && KebabCase().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();
}
