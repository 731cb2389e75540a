using System.Buffers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// Finds special tokens in text as <see cref="SplitPreTokenizer"/>'s alternation does: the leftmost occurrence of any,
/// the longest of those starting there. Searches for their first characters with a vectorised scan, so text without
/// any costs little more than one pass. Thread-safe.
/// </summary>
internal sealed class SpecialTokenFinder
{
    private readonly SearchValues<char> _firstCharacters;
    private readonly Dictionary<char, string[]> _byFirstCharacter;

    private SpecialTokenFinder(IEnumerable<string> tokens)
    {
        _byFirstCharacter = tokens
            .Where(token => token.Length > 0)
            .GroupBy(token => token[0])
            .ToDictionary(group => group.Key, group => group.OrderByDescending(token => token.Length).ThenBy(token => token, StringComparer.Ordinal).ToArray());
        _firstCharacters = SearchValues.Create([.. _byFirstCharacter.Keys]);
    }

    /// <summary>A finder for <paramref name="tokens"/>, or null where there are none to find.</summary>
    public static SpecialTokenFinder? For(IEnumerable<string> tokens)
    {
        var finder = new SpecialTokenFinder(tokens);
        return finder._byFirstCharacter.Count == 0 ? null : finder;
    }

    /// <summary>The first special token at or after <paramref name="from"/>: its start and length, or (-1, 0).</summary>
    public (int Start, int Length) Next(ReadOnlySpan<char> text, int from)
    {
        while (from < text.Length)
        {
            var found = text[from..].IndexOfAny(_firstCharacters);
            if (found < 0)
            {
                break;
            }

            var start = from + found;
            foreach (var token in _byFirstCharacter[text[start]])
            {
                if (text[start..].StartsWith(token, StringComparison.Ordinal))
                {
                    return (start, token.Length);
                }
            }

            from = start + 1;
        }

        return (-1, 0);
    }
}
