using System.Text.RegularExpressions;
using Curation.Core.Records;

namespace Curation.Filters.Quality;

/// <summary>
/// Options of <c>c4-quality</c>: the rules of C4's cleaning (Raffel et al. 2020, section 2.2), with datatrove's
/// C4QualityFilter defaults, as document-level checks (C4 also deletes lines; this stage never edits text).
/// </summary>
public sealed class C4QualityOptions
{
    public QualityTarget ApplyTo { get; init; } = QualityTarget.Response;

    /// <summary>Fewest sentences in the lines C4 would keep.</summary>
    public int MinSentences { get; init; } = 5;

    /// <summary>Fewest words in a line for C4 to keep it.</summary>
    public int MinWordsPerLine { get; init; } = 3;

    /// <summary>Longest word allowed anywhere.</summary>
    public int MaxWordLength { get; init; } = 1000;

    public List<string> Disable { get; init; } = [];
}

/// <summary>C4's rules: lorem ipsum, curly brackets (code), words over 1,000 characters, too few sentences in good lines.</summary>
public sealed partial class C4QualityStage(C4QualityOptions options, string name) : QualityStage(name, options.ApplyTo, options.Disable)
{
    private static readonly string[] PolicyPhrases = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"];

    public override IReadOnlyList<string> Rules { get; } = ["c4-lorem-ipsum", "c4-curly-bracket", "c4-long-word", "c4-too-few-sentences"];

    protected override IEnumerable<(string Rule, string Detail)> Check(ChatRecord record, string text)
    {
        if (text.Contains("lorem ipsum", StringComparison.OrdinalIgnoreCase))
        {
            yield return ("c4-lorem-ipsum", "holds 'lorem ipsum' placeholder text");
        }

        if (text.Contains('{', StringComparison.Ordinal))
        {
            yield return ("c4-curly-bracket", "holds '{' (C4 drops pages with code); disable this rule for code data");
        }

        var words = QualityText.Words(text);
        if (words.FirstOrDefault(word => word.Length > options.MaxWordLength) is { } longWord)
        {
            yield return ("c4-long-word", Format($"a word of {longWord.Length} characters, max {options.MaxWordLength}"));
        }

        var kept = text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && line[^1] is '.' or '!' or '?' or '"' or '\'')
            .Where(line => QualityText.Words(line).Length >= options.MinWordsPerLine)
            .Where(line => !line.Contains("javascript", StringComparison.OrdinalIgnoreCase))
            .Where(line => !PolicyPhrases.Any(phrase => line.Contains(phrase, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var sentences = kept.Sum(line => SentenceEnds().Count(line));
        if (sentences < options.MinSentences)
        {
            yield return ("c4-too-few-sentences", Format($"{sentences} sentences in {kept.Count} lines C4 would keep, min {options.MinSentences}"));
        }
    }

    [GeneratedRegex(@"[.!?]+[""']?(?=\s|$)")]
    private static partial Regex SentenceEnds();
}
