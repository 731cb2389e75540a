using System.Text;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// The few Python 3 string operations the reference scripts (SQuAD's evaluate-v1.1.py, Google's rouge-score) are
/// defined by, so that scores here equal theirs on any text, not just ASCII: <c>str.lower()</c> (full case mapping:
/// U+0130 becomes "i" and a combining dot, a capital sigma at the end of a word becomes final sigma),
/// <c>str.isspace()</c> (which, unlike <see cref="char.IsWhiteSpace(char)"/>, counts U+001C..U+001F) and
/// <c>\w</c> of the <c>re</c> module (letters, numbers and the underscore, by code point rather than UTF-16 unit).
/// </summary>
internal static class PythonText
{
    private const int CapitalSigma = 0x3A3;

    /// <summary>Python's <c>str.lower()</c>.</summary>
    public static string Lower(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var (rune, length) = RuneAt(text, i);
            if (rune.Value == 0x130)
            {
                builder.Append("i\u0307");
            }
            else if (rune.Value == CapitalSigma)
            {
                builder.Append(IsFinalSigma(text, i) ? 'ς' : 'σ');
            }
            else if (length == 1 && char.IsSurrogate(text[i]))
            {
                builder.Append(text[i]);
            }
            else
            {
                builder.Append(Rune.ToLowerInvariant(rune).ToString());
            }

            i += length;
        }

        return builder.ToString();
    }

    /// <summary>The code point at <paramref name="index"/> and its UTF-16 length; a lone surrogate reads as U+FFFD of length 1.</summary>
    public static (Rune Rune, int Length) RuneAt(string text, int index)
    {
        Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out var length);
        return (rune, length);
    }

    /// <summary>Python's <c>str.isspace()</c> of one character.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    /// <summary>Python's <c>str.split()</c> without arguments.</summary>
    public static List<string> Split(string text)
    {
        var parts = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || IsSpace(text[i]))
            {
                if (start >= 0)
                {
                    parts.Add(text[start..i]);
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        return parts;
    }

    /// <summary>Python's <c>str.strip()</c> without arguments.</summary>
    public static string Strip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>Whether <paramref name="rune"/> is a word character of Python's <c>re</c> (<c>\w</c> on str patterns).</summary>
    public static bool IsWordCharacter(Rune rune) => Rune.IsLetterOrDigit(rune) || Rune.IsNumber(rune) || rune.Value == '_';

    // Unicode's Final_Sigma condition as CPython applies it: a cased letter before (past case-ignorable ones) and no
    // cased letter after (past case-ignorable ones).
    private static bool IsFinalSigma(string text, int index)
    {
        var before = index;
        Rune? previous = null;
        while (before > 0)
        {
            Rune.DecodeLastFromUtf16(text.AsSpan(0, before), out var rune, out var length);
            before -= length;
            if (!IsCaseIgnorable(rune))
            {
                previous = rune;
                break;
            }
        }

        if (previous is not { } cased || !IsCased(cased))
        {
            return false;
        }

        for (var after = index + 1; after < text.Length;)
        {
            var (rune, length) = RuneAt(text, after);
            if (!IsCaseIgnorable(rune))
            {
                return !IsCased(rune);
            }

            after += length;
        }

        return true;
    }

    private static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.UppercaseLetter
            or System.Globalization.UnicodeCategory.LowercaseLetter
            or System.Globalization.UnicodeCategory.TitlecaseLetter;

    // Case_Ignorable: marks, format characters, modifiers, and the word-internal punctuation of UAX #29
    // (MidLetter, MidNumLet, Single_Quote).
    private static bool IsCaseIgnorable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark
            or System.Globalization.UnicodeCategory.EnclosingMark
            or System.Globalization.UnicodeCategory.Format
            or System.Globalization.UnicodeCategory.ModifierLetter
            or System.Globalization.UnicodeCategory.ModifierSymbol
        || rune.Value is '\'' or '.' or ':' or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
