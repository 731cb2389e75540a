using System.Buffers;
using Curation.Core.Text;

namespace Curation.Normalization.Text;

/// <summary>
/// The per-character part of normalisation: line breaks, control characters and invisible characters. It also finds
/// lone surrogates and notes what later passes need to look at, all in one scan that skips plain ASCII in vector steps.
/// </summary>
internal sealed class CharacterCleaner
{
    private static readonly SearchValues<char> Plain =
        SearchValues.Create("\t\n !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private readonly bool _lineBreaksToLf;
    private readonly bool _stripControl;
    private readonly bool _stripInvisible;

    public CharacterCleaner(bool lineBreaksToLf, bool stripControl, bool stripInvisible)
    {
        _lineBreaksToLf = lineBreaksToLf;
        _stripControl = stripControl;
        _stripInvisible = stripInvisible;
    }

    private enum CharAction
    {
        Keep,
        Remove,
        LineBreak,
    }

    public CharacterScan Scan(ReadOnlySpan<char> text)
    {
        var start = text.IndexOfAnyExcept(Plain);
        if (start < 0)
        {
            return CharacterScan.Plain;
        }

        var firstChange = -1;
        var nonAscii = false;
        var unusualWhitespace = false;
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (Plain.Contains(c))
            {
                var skip = text[i..].IndexOfAnyExcept(Plain);
                if (skip < 0)
                {
                    break;
                }

                i += skip;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return new CharacterScan(firstChange, i, true, unusualWhitespace);
                }

                nonAscii = true;
                i += 2;
                continue;
            }

            nonAscii |= c >= '\u0080';
            unusualWhitespace |= char.IsWhiteSpace(c);
            if (firstChange < 0 && Classify(c) != CharAction.Keep)
            {
                firstChange = i;
            }

            i++;
        }

        return new CharacterScan(firstChange, -1, nonAscii, unusualWhitespace);
    }

    /// <summary>Appends <paramref name="text"/> cleaned. <paramref name="text"/> must hold no lone surrogate.</summary>
    public void Rewrite(ReadOnlySpan<char> text, ref PooledCharBuffer output)
    {
        var i = 0;
        while (i < text.Length)
        {
            var run = text[i..].IndexOfAnyExcept(Plain);
            if (run < 0)
            {
                output.Append(text[i..]);
                return;
            }

            output.Append(text.Slice(i, run));
            i += run;
            var c = text[i];
            switch (Classify(c))
            {
                case CharAction.Keep:
                    output.Append(c);
                    break;
                case CharAction.LineBreak:
                    // CRLF is one break: its CR goes and the LF that follows is copied with the next run.
                    if (c != '\r' || i + 1 >= text.Length || text[i + 1] != '\n')
                    {
                        output.Append('\n');
                    }

                    break;
                case CharAction.Remove:
                    break;
            }

            i++;
        }
    }

    private CharAction Classify(char c)
    {
        if (IsLineBreak(c))
        {
            // Line breaks are never stripped as controls: that would glue the words around them together.
            return _lineBreaksToLf && c != '\n' ? CharAction.LineBreak : CharAction.Keep;
        }

        if (c < '\u0020' || c is >= '\u007F' and <= '\u009F')
        {
            return _stripControl && c != '\t' ? CharAction.Remove : CharAction.Keep;
        }

        return _stripInvisible && IsInvisible(c) ? CharAction.Remove : CharAction.Keep;
    }

    /// <summary>The mandatory breaks of UAX #14: LF, CR, NEL, VT, FF, LINE SEPARATOR, PARAGRAPH SEPARATOR.</summary>
    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>ZERO WIDTH SPACE, WORD JOINER, BOM / ZERO WIDTH NO-BREAK SPACE and SOFT HYPHEN.</summary>
    public static bool IsInvisible(char c) => c is '\u200B' or '\u2060' or '\uFEFF' or '\u00AD';
}
