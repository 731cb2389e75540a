using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Curation.Core.Unicode;

namespace Curation.IO.Writers;

/// <summary>
/// Escapes only what JSON requires (quote, backslash, control characters) and writes all other text as UTF-8,
/// emoji included: <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> still turns characters outside the
/// Basic Multilingual Plane into \uXXXX pairs. Output is for data files, never for HTML, so nothing else needs escaping.
/// A lone surrogate is written as U+FFFD, so every line is valid UTF-8.
/// </summary>
internal sealed class RelaxedJsonEncoder : JavaScriptEncoder
{
    public static RelaxedJsonEncoder Instance { get; } = new();

    private static readonly SearchValues<char> CharsToEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    private static readonly SearchValues<byte> BytesToEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"u8);

    private RelaxedJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        FindFirst(new ReadOnlySpan<char>(text, textLength));

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        var index = utf8Text.IndexOfAny(BytesToEscape);
        var clean = index < 0 ? utf8Text : utf8Text[..index];
        return Utf8.IsValid(clean) ? index : base.FindFirstCharacterToEncodeUtf8(utf8Text);
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        ReadOnlySpan<char> escape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => default,
        };

        if (!escape.IsEmpty)
        {
            return TryCopy(escape, destination, out numberOfCharactersWritten);
        }

        if (unicodeScalar < 0x20)
        {
            Span<char> hex = ['\\', 'u', '0', '0', HexDigit(unicodeScalar >> 4), HexDigit(unicodeScalar & 0xF)];
            return TryCopy(hex, destination, out numberOfCharactersWritten);
        }

        // Reached for the U+FFFD that replaces a lone surrogate: written as itself.
        var rune = new Rune(unicodeScalar);
        if (rune.TryEncodeToUtf16(destination, out numberOfCharactersWritten))
        {
            return true;
        }

        numberOfCharactersWritten = 0;
        return false;
    }

    private static int FindFirst(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var rest = text[offset..];
            var special = rest.IndexOfAny(CharsToEscape);
            var surrogate = rest.IndexOfAny(CharRanges.Surrogates);
            if (surrogate < 0 || (special >= 0 && special < surrogate))
            {
                return special < 0 ? -1 : offset + special;
            }

            var at = offset + surrogate;
            if (char.IsHighSurrogate(text[at]) && at + 1 < text.Length && char.IsLowSurrogate(text[at + 1]))
            {
                offset = at + 2;
                continue;
            }

            return at;
        }
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static bool TryCopy(ReadOnlySpan<char> text, Span<char> destination, out int written)
    {
        if (text.TryCopyTo(destination))
        {
            written = text.Length;
            return true;
        }

        written = 0;
        return false;
    }
}
