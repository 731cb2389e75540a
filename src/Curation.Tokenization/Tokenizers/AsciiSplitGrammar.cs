using System.Runtime.CompilerServices;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// A known split regex (cl100k_base, o200k_base, and the tokenizer.json patterns of Llama 3 and Qwen2) hand-coded for
/// ASCII text: <see cref="NextEnd"/> gives where the regex's match at a position ends, as long as every character the
/// match depends on is ASCII, and -1 otherwise, where the caller runs the regex itself. The regexes match every
/// character, so pieces follow each other without gaps and each one starts where the last ended.
/// </summary>
internal sealed class AsciiSplitGrammar
{
    private const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    private const string Qwen2Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const byte Upper = 1;
    private const byte Lower = 2;
    private const byte Letter = Upper | Lower;
    private const byte Digit = 4;
    private const byte Space = 8;
    private const byte Newline = 16;
    private const byte Other = 32;

    private static readonly byte[] Classes = BuildClasses();

    // cl100k_base and the Llama 3 / Qwen2 family: contractions alone, a letter run with one leading non-letter,
    // digit runs of up to MaxDigits. o200k_base: words as an upper-case run then a lower-case run, with contractions
    // attached, and '/' may follow the newlines after punctuation.
    private readonly bool _casedWords;
    private readonly int _maxDigits;

    // cl100k_base's \s++$ comes before \s*[\r\n]: a whitespace run that ends the text is one piece, newlines or not.
    private readonly bool _wholeTrailingWhitespace;

    private AsciiSplitGrammar(bool casedWords, int maxDigits, bool wholeTrailingWhitespace)
    {
        _casedWords = casedWords;
        _maxDigits = maxDigits;
        _wholeTrailingWhitespace = wholeTrailingWhitespace;
    }

    /// <summary>The grammar of <paramref name="pattern"/> (as tiktoken or a tokenizer.json writes it), or null for one not hand-coded.</summary>
    public static AsciiSplitGrammar? For(string pattern)
    {
        if (pattern == TokenizerCatalog.SplitPattern("cl100k_base"))
        {
            return new AsciiSplitGrammar(casedWords: false, maxDigits: 3, wholeTrailingWhitespace: true);
        }

        if (pattern == TokenizerCatalog.SplitPattern("o200k_base"))
        {
            return new AsciiSplitGrammar(casedWords: true, maxDigits: 3, wholeTrailingWhitespace: false);
        }

        return pattern switch
        {
            Llama3Pattern => new AsciiSplitGrammar(casedWords: false, maxDigits: 3, wholeTrailingWhitespace: false),
            Qwen2Pattern => new AsciiSplitGrammar(casedWords: false, maxDigits: 1, wholeTrailingWhitespace: false),
            _ => null,
        };
    }

    /// <summary>Where the piece starting at <paramref name="start"/> ends, or -1 where that depends on a character outside ASCII.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int NextEnd(ReadOnlySpan<char> text, int start)
    {
        var c = text[start];
        if (c >= 128)
        {
            return -1;
        }

        var kind = Classes[c];
        if (!_casedWords && c == '\'')
        {
            var contraction = Contraction(text, start);
            if (contraction != 0)
            {
                return contraction;
            }
        }

        if ((kind & Letter) != 0)
        {
            return Word(text, start);
        }

        // [^\r\n\p{L}\p{N}]? before a word: whitespace other than newlines, or punctuation.
        if ((kind & (Newline | Digit)) == 0 && start + 1 < text.Length)
        {
            var next = text[start + 1];
            if (next >= 128)
            {
                return -1;
            }

            if ((Classes[next] & Letter) != 0)
            {
                return Word(text, start + 1);
            }
        }

        if ((kind & Digit) != 0)
        {
            return Digits(text, start);
        }

        if (c == ' ' && start + 1 < text.Length && text[start + 1] < 128 && (Classes[text[start + 1]] & Other) != 0)
        {
            return Punctuation(text, start + 1);
        }

        return (kind & Other) != 0 ? Punctuation(text, start) : Whitespace(text, start);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Word(ReadOnlySpan<char> text, int start)
    {
        if (!_casedWords)
        {
            return RunEnd(text, start, Letter);
        }

        // [Lu...]*[Ll...]+ or [Lu...]+[Ll...]*: in ASCII, the upper-case run then the lower-case run.
        var upperEnd = RunEnd(text, start, Upper);
        if (upperEnd < 0)
        {
            return -1;
        }

        var end = RunEnd(text, upperEnd, Lower);
        if (end < 0)
        {
            return -1;
        }

        if (end < text.Length && text[end] == '\'')
        {
            var contraction = Contraction(text, end);
            return contraction == 0 ? end : contraction;
        }

        return end;
    }

    private int Digits(ReadOnlySpan<char> text, int start)
    {
        var end = start + 1;
        while (end < text.Length && end - start < _maxDigits)
        {
            var c = text[end];
            if (c >= 128)
            {
                return -1;
            }

            if ((Classes[c] & Digit) == 0)
            {
                break;
            }

            end++;
        }

        return end;
    }

    /// <summary>[^\s\p{L}\p{N}]+ then [\r\n]* ([\r\n/]* for o200k_base).</summary>
    private int Punctuation(ReadOnlySpan<char> text, int start)
    {
        var end = RunEnd(text, start, Other);
        if (end < 0)
        {
            return -1;
        }

        while (end < text.Length && (text[end] is '\r' or '\n' || (_casedWords && text[end] == '/')))
        {
            end++;
        }

        return end;
    }

    /// <summary>\s++$ (cl100k_base), \s*[\r\n]+, \s+(?!\S), then a single \s.</summary>
    private int Whitespace(ReadOnlySpan<char> text, int start)
    {
        var end = start;
        var lastNewline = -1;
        while (end < text.Length)
        {
            var c = text[end];
            if (c >= 128)
            {
                return -1;
            }

            var kind = Classes[c];
            if ((kind & Space) == 0)
            {
                break;
            }

            if ((kind & Newline) != 0)
            {
                lastNewline = end;
            }

            end++;
        }

        if (end == text.Length && _wholeTrailingWhitespace)
        {
            return end;
        }

        if (lastNewline >= 0)
        {
            return lastNewline + 1;
        }

        if (end == text.Length)
        {
            return end;
        }

        return end - start >= 2 ? end - 1 : start + 1;
    }

    /// <summary>The end of an apostrophe contraction ('s 't 're 've 'm 'll 'd, any case) at <paramref name="start"/>; 0 for none, -1 where a non-ASCII letter decides.</summary>
    private static int Contraction(ReadOnlySpan<char> text, int start)
    {
        if (start + 1 >= text.Length)
        {
            return 0;
        }

        var first = text[start + 1];
        if (first >= 128)
        {
            return -1;
        }

        switch (first | 0x20)
        {
            case 's' or 't' or 'm' or 'd':
                return start + 2;
            case 'l' or 'v' or 'r':
                if (start + 2 >= text.Length)
                {
                    return 0;
                }

                var second = text[start + 2];
                if (second >= 128)
                {
                    return -1;
                }

                var expected = (first | 0x20) == 'l' ? 'l' : 'e';
                return (second | 0x20) == expected ? start + 3 : 0;
            default:
                return 0;
        }
    }

    /// <summary>The end of the run of <paramref name="kinds"/> from <paramref name="start"/>, or -1 where it reaches a non-ASCII character.</summary>
    private static int RunEnd(ReadOnlySpan<char> text, int start, byte kinds)
    {
        var end = start;
        while (end < text.Length)
        {
            var c = text[end];
            if (c >= 128)
            {
                return -1;
            }

            if ((Classes[c] & kinds) == 0)
            {
                return end;
            }

            end++;
        }

        return end;
    }

    private static byte[] BuildClasses()
    {
        var classes = new byte[128];
        for (var c = 0; c < 128; c++)
        {
            classes[c] = c switch
            {
                >= 'A' and <= 'Z' => Upper,
                >= 'a' and <= 'z' => Lower,
                >= '0' and <= '9' => Digit,
                '\r' or '\n' => Space | Newline,
                '\t' or '\v' or '\f' or ' ' => Space,
                _ => Other,
            };
        }

        return classes;
    }
}
