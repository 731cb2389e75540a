using System.Buffers;
using Curation.Filters.Quality.Text;

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
internal sealed class C4QualityStage(C4QualityOptions options, string name) : TextQualityStage(name, options.ApplyTo, options.Disable)
{
    // JavaScript and site-policy mentions: a line holding any of them is not one C4 keeps.
    private static readonly SearchValues<string> BoilerplatePhrases = SearchValues.Create(
        ["javascript", "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"],
        StringComparison.OrdinalIgnoreCase);

    public override IReadOnlyList<string> Rules { get; } = ["c4-lorem-ipsum", "c4-curly-bracket", "c4-long-word", "c4-too-few-sentences"];

    protected override RuleFailure? FirstFailure(ReadOnlySpan<char> text)
    {
        if (Enabled("c4-lorem-ipsum") && text.Contains("lorem ipsum", StringComparison.OrdinalIgnoreCase))
        {
            return new("c4-lorem-ipsum", "holds 'lorem ipsum' placeholder text");
        }

        if (Enabled("c4-curly-bracket") && text.Contains('{'))
        {
            return new("c4-curly-bracket", "holds '{' (C4 drops pages with code); disable this rule for code data");
        }

        if (Enabled("c4-long-word") && LongestWordOver(text, options.MaxWordLength) is { } longWord)
        {
            return new("c4-long-word", Format($"a word of {longWord} characters, max {options.MaxWordLength}"));
        }

        if (!Enabled("c4-too-few-sentences"))
        {
            return null;
        }

        int kept = 0, sentences = 0;
        foreach (var line in new LineEnumerator(text))
        {
            var trimmed = line.Trim();
            if (KeepsLine(trimmed))
            {
                kept++;
                sentences += SentenceEnds.Count(trimmed);
            }
        }

        if (sentences < options.MinSentences)
        {
            return new("c4-too-few-sentences", Format($"{sentences} sentences in {kept} lines C4 would keep, min {options.MinSentences}"));
        }

        return null;
    }

    /// <summary>The length of the first word longer than <paramref name="limit"/>.</summary>
    private static int? LongestWordOver(ReadOnlySpan<char> text, int limit)
    {
        foreach (var word in new WordEnumerator(text))
        {
            if (word.Length > limit)
            {
                return word.Length;
            }
        }

        return null;
    }

    /// <summary>C4 keeps a line that ends in terminal punctuation, has enough words, and mentions neither JavaScript nor a site policy.</summary>
    private bool KeepsLine(ReadOnlySpan<char> line)
    {
        if (line.Length == 0 || line[^1] is not ('.' or '!' or '?' or '"' or '\''))
        {
            return false;
        }

        return WordEnumerator.Count(line) >= options.MinWordsPerLine && !line.ContainsAny(BoilerplatePhrases);
    }
}
