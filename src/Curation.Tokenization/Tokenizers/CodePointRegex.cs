using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// A split regex as tiktoken (Rust) and Hugging Face tokenizers (Oniguruma) run it: over code points, so that
/// <c>\p{L}</c> matches 𝐇 and <c>[^\s\p{L}\p{N}]</c> matches 👍 as one character. .NET regexes see UTF-16 code units,
/// where each half of a surrogate pair is category Cs. Text with supplementary characters is matched through a stand-in
/// string with one BMP character of the same general category for each of them, and the matches mapped back.
/// </summary>
internal sealed class CodePointRegex
{
    private readonly SharedCodeRegex _regex;

    /// <param name="pattern">In tiktoken's or Oniguruma's syntax (see <see cref="Translate"/>).</param>
    /// <exception cref="ArgumentException">The pattern is not a valid regex.</exception>
    public CodePointRegex(string pattern)
    {
        Pattern = pattern;
        _regex = new SharedCodeRegex(Translate(pattern), RegexOptions.CultureInvariant);
    }

    public string Pattern { get; }

    /// <summary>
    /// A separate instance of the compiled regex, sharing its compiled code: each instance lends its one cached matcher
    /// to one caller at a time and builds a new one for any other, so threads matching through a shared instance keep
    /// allocating matchers.
    /// </summary>
    public Regex CreateInstance() => _regex.NewInstance();

    /// <summary>Appends the (start, length) of each non-empty match in <paramref name="text"/>[<paramref name="start"/>, +<paramref name="length"/>), in text coordinates.</summary>
    public void Matches(string text, int start, int length, List<(int Start, int Length)> matches)
    {
        var span = text.AsSpan(start, length);
        if (span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            foreach (var match in _regex.EnumerateMatches(span))
            {
                if (match.Length > 0)
                {
                    matches.Add((start + match.Index, match.Length));
                }
            }

            return;
        }

        var standIn = new char[span.Length];
        var offsets = new int[span.Length + 1];
        var count = WriteStandIns(span, standIn, offsets);
        foreach (var match in _regex.EnumerateMatches(standIn.AsSpan(0, count)))
        {
            if (match.Length > 0)
            {
                var from = start + offsets[match.Index];
                matches.Add((from, start + offsets[match.Index + match.Length] - from));
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> with each supplementary character replaced by one <see cref="StandIn"/> of its
    /// category into <paramref name="standIn"/>, and where each stand-in character starts in <paramref name="text"/>
    /// into <paramref name="offsets"/>, plus one entry for the end; returns how many characters it wrote.
    /// </summary>
    internal static int WriteStandIns(ReadOnlySpan<char> text, Span<char> standIn, Span<int> offsets)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            offsets[count] = i;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                standIn[count++] = StandIn(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1])));
                i++;
            }
            else
            {
                standIn[count++] = text[i];
            }
        }

        offsets[count] = text.Length;
        return count;
    }

    /// <summary>
    /// A BMP character of <paramref name="category"/> from a block no tokenizer pattern names (Glagolitic, Saurashtra,
    /// Yi, Bamum...), so it meets exactly the category classes the supplementary character would, and no literal.
    /// </summary>
    internal static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u2C00',
        UnicodeCategory.LowercaseLetter => '\u2C30',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\uA015',
        UnicodeCategory.OtherLetter => '\uA000',
        UnicodeCategory.NonSpacingMark => '\uA8C4',
        UnicodeCategory.SpacingCombiningMark => '\uA8B4',
        UnicodeCategory.EnclosingMark => '\uA670',
        UnicodeCategory.DecimalDigitNumber => '\uA8D0',
        UnicodeCategory.LetterNumber => '\uA6E6',
        UnicodeCategory.OtherNumber => '\uA830',
        UnicodeCategory.ConnectorPunctuation => '\uFE4D',
        UnicodeCategory.DashPunctuation => '\uFE63',
        UnicodeCategory.OpenPunctuation => '\uFE59',
        UnicodeCategory.ClosePunctuation => '\uFE5A',
        UnicodeCategory.InitialQuotePunctuation => '\u2E1C',
        UnicodeCategory.FinalQuotePunctuation => '\u2E1D',
        UnicodeCategory.OtherPunctuation => '\uA8CE',
        UnicodeCategory.MathSymbol => '\u2A00',
        UnicodeCategory.CurrencySymbol => '\u20A0',
        UnicodeCategory.ModifierSymbol => '\uA720',
        UnicodeCategory.OtherSymbol => '\u2E80',
        UnicodeCategory.Format => '\uFFF9',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378', // unassigned
    };

    /// <summary>
    /// Rewrites possessive quantifiers, which .NET lacks, as the atomic groups they abbreviate, and <c>$</c> as the end
    /// of the text (in .NET it also matches before a final newline).
    /// </summary>
    internal static string Translate(string pattern)
    {
        var output = new StringBuilder(pattern.Length + 16);
        var atomStart = -1;
        var i = 0;
        while (i < pattern.Length)
        {
            if (pattern[i] == '$')
            {
                output.Append(@"\z");
                atomStart = -1;
                i++;
                continue;
            }

            var start = i;
            i = SkipAtom(pattern, i);
            if (i > start)
            {
                atomStart = output.Length;
                output.Append(pattern, start, i - start);
                continue;
            }

            // A quantifier: ? * + or {n}, {n,}, {n,m}, then an optional lazy ? or possessive +.
            var end = QuantifierEnd(pattern, i);
            if (end == i)
            {
                output.Append(pattern[i++]);
                atomStart = -1;
                continue;
            }

            if (end < pattern.Length && pattern[end] == '+' && atomStart >= 0)
            {
                output.Insert(atomStart, "(?>").Append(pattern, i, end - i).Append(')');
                i = end + 1;
            }
            else
            {
                var lazy = end < pattern.Length && pattern[end] == '?' ? 1 : 0;
                output.Append(pattern, i, end - i + lazy);
                i = end + lazy;
            }

            atomStart = -1;
        }

        return output.ToString();
    }

    /// <summary>Where the atom at <paramref name="i"/> ends (an escape, a class, a group or one character), or <paramref name="i"/> at a quantifier or |.</summary>
    private static int SkipAtom(string pattern, int i)
    {
        switch (pattern[i])
        {
            case '?' or '*' or '+' or '|' or ')':
                return i;
            case '{' when QuantifierEnd(pattern, i) > i:
                return i;
            case '\\':
                return SkipEscape(pattern, i);
            case '[':
                return SkipClass(pattern, i);
            case '(':
                var depth = 0;
                while (i < pattern.Length)
                {
                    switch (pattern[i])
                    {
                        case '\\':
                            i = SkipEscape(pattern, i);
                            continue;
                        case '[':
                            i = SkipClass(pattern, i);
                            continue;
                        case '(':
                            depth++;
                            break;
                        case ')':
                            depth--;
                            if (depth == 0)
                            {
                                return i + 1;
                            }

                            break;
                    }

                    i++;
                }

                return i;
            default:
                return i + 1;
        }
    }

    private static int SkipEscape(string pattern, int i)
    {
        if (i + 1 >= pattern.Length)
        {
            return pattern.Length;
        }

        // \p{..}, \P{..}, \x{..}: through the closing brace; anything else is two characters (\uXXXX is read on as literals).
        if (pattern[i + 1] is 'p' or 'P' or 'x' && i + 2 < pattern.Length && pattern[i + 2] == '{')
        {
            var close = pattern.IndexOf('}', i + 3);
            return close < 0 ? pattern.Length : close + 1;
        }

        return i + 2;
    }

    private static int SkipClass(string pattern, int i)
    {
        i++;
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        // A ] first in the class is a literal.
        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        while (i < pattern.Length && pattern[i] != ']')
        {
            i = pattern[i] == '\\' ? SkipEscape(pattern, i) : pattern[i] == '[' ? SkipClass(pattern, i) : i + 1;
        }

        return Math.Min(i + 1, pattern.Length);
    }

    private static int QuantifierEnd(string pattern, int i)
    {
        if (pattern[i] is '?' or '*' or '+')
        {
            return i + 1;
        }

        if (pattern[i] != '{')
        {
            return i;
        }

        var j = i + 1;
        var digits = 0;
        while (j < pattern.Length && (char.IsAsciiDigit(pattern[j]) || pattern[j] == ','))
        {
            digits += char.IsAsciiDigit(pattern[j]) ? 1 : 0;
            j++;
        }

        return digits > 0 && j < pattern.Length && pattern[j] == '}' ? j + 1 : i;
    }
}
