using System.Text;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// The answer normalisation of the official SQuAD v1.1 evaluation script (<c>normalize_answer</c>): lower case, drop
/// ASCII punctuation (<c>string.punctuation</c>), replace the words a, an and the by a space, and join the
/// whitespace-separated words with one space; in that order, so "the-end" becomes "theend".
/// </summary>
internal static class SquadText
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static string Normalize(string text) => string.Join(' ', PythonText.Split(RemoveArticles(RemovePunctuation(PythonText.Lower(text)))));

    /// <summary>
    /// <see cref="Normalize"/> without dropping articles, so that short answers stay apart: "A" and "the" are labels or
    /// words of their own there, not nothing.
    /// </summary>
    public static string NormalizeKeepingArticles(string text) => string.Join(' ', PythonText.Split(RemovePunctuation(PythonText.Lower(text))));

    /// <summary>The normalised answer's words, as the script's <c>normalize_answer(s).split()</c>.</summary>
    public static List<string> Tokens(string text) => PythonText.Split(Normalize(text));

    private static string RemovePunctuation(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!Punctuation.Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    // re.sub(r'\b(a|an|the)\b', ' ', text): a match is a whole run of word characters, so replacing the runs that are
    // exactly an article is the same substitution.
    private static string RemoveArticles(string text)
    {
        var builder = new StringBuilder(text.Length);
        var index = 0;
        while (index < text.Length)
        {
            var (rune, length) = PythonText.RuneAt(text, index);
            if (!PythonText.IsWordCharacter(rune))
            {
                builder.Append(text, index, length);
                index += length;
                continue;
            }

            var end = index;
            while (end < text.Length && PythonText.RuneAt(text, end) is var (next, nextLength) && PythonText.IsWordCharacter(next))
            {
                end += nextLength;
            }

            var word = text.AsSpan(index, end - index);
            if (word is "a" or "an" or "the")
            {
                builder.Append(' ');
            }
            else
            {
                builder.Append(word);
            }

            index = end;
        }

        return builder.ToString();
    }
}
