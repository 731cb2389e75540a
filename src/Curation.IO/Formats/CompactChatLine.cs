using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Curation.Core.Records;

namespace Curation.IO.Formats;

/// <summary>
/// Decodes the commonest input line without the general JSON reader: a compact OpenAI record
/// <c>{"id":"…","messages":[{"role":"…","content":"…","weight":0|1?},…]}</c>, no whitespace between tokens, each
/// key once and unescaped. Anything else (other keys, whitespace, numbers other than 0 and 1, a lone surrogate escape,
/// anything invalid) returns false and the caller decodes the line the general way, so the record it yields is always
/// the one the general path would build. The general reader validates and re-reads every string byte by byte once it
/// holds an escape, which most chat turns do ("\n"); here strings are unescaped in vectorised runs.
/// </summary>
/// <remarks>The line must be valid UTF-8 (the decoder checks that first), so the bytes between escapes need no check.</remarks>
internal static class CompactChatLine
{
    private const int UnicodeEscapeLength = 6;

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    [ThreadStatic]
    private static byte[]? t_unescaped;

    /// <summary>
    /// Fills <paramref name="messages"/> and sets <paramref name="id"/> (null when the line has none) when the line
    /// has the compact shape; false, with both to be ignored, otherwise. <paramref name="verbatimLength"/> is the
    /// length of the line up to its closing brace when that is exactly what the JSON Lines writer gives the record
    /// (an id, then the messages, each turn's keys in the writer's order, every escape the writer's own), else 0.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> json, List<Message> messages, out string? id, out int verbatimLength)
    {
        id = null;
        verbatimLength = 0;
        messages.Clear();
        var position = 0;
        if (!TryTake(json, ref position, (byte)'{'))
        {
            return false;
        }

        var seenId = false;
        var seenMessages = false;
        var keys = 0;
        var canonical = true;
        while (true)
        {
            if (TryTake(json, ref position, "\"id\":"u8))
            {
                if (seenId || !TryReadString(json, ref position, out var text, ref canonical) || text.Length == 0)
                {
                    return false;
                }

                seenId = true;

                // The writer's order, with the messages the only other key.
                canonical &= keys == 0;
                id = text;
            }
            else if (TryTake(json, ref position, "\"messages\":"u8))
            {
                if (seenMessages || !TryReadMessages(json, ref position, messages, ref canonical))
                {
                    return false;
                }

                seenMessages = true;
            }
            else
            {
                return false;
            }

            keys++;

            if (TryTake(json, ref position, (byte)','))
            {
                continue;
            }

            if (!TryTake(json, ref position, (byte)'}'))
            {
                return false;
            }

            break;
        }

        if (!seenMessages || json[position..].IndexOfAnyExcept(" \t\r\n"u8) >= 0)
        {
            return false;
        }

        verbatimLength = canonical && seenId ? position : 0;
        return true;
    }

    private static bool TryReadMessages(ReadOnlySpan<byte> json, ref int position, List<Message> messages, ref bool canonical)
    {
        if (!TryTake(json, ref position, (byte)'['))
        {
            return false;
        }

        if (TryTake(json, ref position, (byte)']'))
        {
            return true;
        }

        while (true)
        {
            if (!TryReadMessage(json, ref position, out var message, ref canonical))
            {
                return false;
            }

            messages.Add(message);
            if (TryTake(json, ref position, (byte)','))
            {
                continue;
            }

            return TryTake(json, ref position, (byte)']');
        }
    }

    /// <remarks>The writer's order of keys is role, content, then weight: role first and weight third say it.</remarks>
    private static bool TryReadMessage(ReadOnlySpan<byte> json, ref int position, out Message message, ref bool canonical)
    {
        message = null!;
        if (!TryTake(json, ref position, (byte)'{'))
        {
            return false;
        }

        string? role = null;
        string? content = null;
        double? weight = null;
        var keys = 0;
        while (true)
        {
            if (TryTake(json, ref position, "\"role\":"u8))
            {
                if (role is not null || !TryReadString(json, ref position, out var text, ref canonical))
                {
                    return false;
                }

                canonical &= keys == 0;
                role = text;
            }
            else if (TryTake(json, ref position, "\"content\":"u8))
            {
                if (content is not null || !TryReadString(json, ref position, out var text, ref canonical))
                {
                    return false;
                }

                content = text;
            }
            else if (TryTake(json, ref position, "\"weight\":"u8))
            {
                // Only the two weights fine-tuning data uses; a JSON number ends at ',' or '}', which the loop requires next.
                if (weight is not null || position >= json.Length || json[position] is not ((byte)'0' or (byte)'1'))
                {
                    return false;
                }

                weight = json[position] == (byte)'1' ? 1 : 0;
                canonical &= keys == 2;
                position++;
            }
            else
            {
                return false;
            }

            keys++;

            if (TryTake(json, ref position, (byte)','))
            {
                continue;
            }

            if (!TryTake(json, ref position, (byte)'}'))
            {
                return false;
            }

            break;
        }

        if (role is null || content is null)
        {
            return false;
        }

        message = new Message(role, content) { Weight = weight };
        return true;
    }

    /// <summary>
    /// Reads a string value at <paramref name="position"/>, which must be its opening quote; clears
    /// <paramref name="canonical"/> when an escape in it is not the one the writer would use.
    /// </summary>
    private static bool TryReadString(ReadOnlySpan<byte> json, ref int position, out string value, ref bool canonical)
    {
        value = string.Empty;
        if (!TryTake(json, ref position, (byte)'"'))
        {
            return false;
        }

        var rest = json[position..];
        var special = JsonStringSpecials.IndexOf(rest);
        if (special < 0)
        {
            return false;
        }

        if (rest[special] == (byte)'"')
        {
            value = Known(rest[..special]) ?? Encoding.UTF8.GetString(rest[..special]);
            position += special + 1;
            return true;
        }

        var unescaped = t_unescaped ??= new byte[4096];
        var written = 0;
        var consumed = 0;
        while (true)
        {
            var run = rest.Slice(consumed, special);
            Ensure(ref unescaped, written + run.Length + 4);
            run.CopyTo(unescaped.AsSpan(written));
            written += run.Length;
            consumed += special;
            var next = rest[consumed];
            if (next == (byte)'"')
            {
                consumed++;
                break;
            }

            if (next != (byte)'\\' || !TryUnescape(rest[consumed..], unescaped.AsSpan(written), out var escapeLength, out var bytes))
            {
                return false;
            }

            canonical &= IsWritersEscape(rest.Slice(consumed, escapeLength));
            written += bytes;
            consumed += escapeLength;
            special = JsonStringSpecials.IndexOf(rest[consumed..]);
            if (special < 0)
            {
                return false;
            }
        }

        t_unescaped = unescaped;
        value = Encoding.UTF8.GetString(unescaped.AsSpan(0, written));
        position += consumed;
        return true;
    }

    /// <summary>
    /// Decodes the escape at the start of <paramref name="escape"/> into UTF-8 (at most 4 bytes); false for an invalid
    /// escape or a surrogate escape that is not half of a pair, which the general reader reports.
    /// </summary>
    private static bool TryUnescape(ReadOnlySpan<byte> escape, Span<byte> destination, out int escapeLength, out int bytes)
    {
        escapeLength = 2;
        bytes = 1;
        if (escape.Length < 2)
        {
            return false;
        }

        switch (escape[1])
        {
            case (byte)'"':
            case (byte)'\\':
            case (byte)'/':
                destination[0] = escape[1];
                return true;
            case (byte)'n':
                destination[0] = (byte)'\n';
                return true;
            case (byte)'t':
                destination[0] = (byte)'\t';
                return true;
            case (byte)'r':
                destination[0] = (byte)'\r';
                return true;
            case (byte)'b':
                destination[0] = (byte)'\b';
                return true;
            case (byte)'f':
                destination[0] = (byte)'\f';
                return true;
            case (byte)'u':
                break;
            default:
                return false;
        }

        if (!TryReadHex(escape, out var first))
        {
            return false;
        }

        escapeLength = UnicodeEscapeLength;
        var scalar = first;
        if (char.IsLowSurrogate((char)first))
        {
            return false;
        }

        if (char.IsHighSurrogate((char)first))
        {
            var pair = escape[UnicodeEscapeLength..];
            if (pair.Length < 2 || pair[0] != (byte)'\\' || pair[1] != (byte)'u' || !TryReadHex(pair, out var second) || !char.IsLowSurrogate((char)second))
            {
                return false;
            }

            escapeLength = 2 * UnicodeEscapeLength;
            scalar = char.ConvertToUtf32((char)first, (char)second);
        }

        return new Rune(scalar).TryEncodeToUtf8(destination, out bytes);
    }

    /// <summary>
    /// Whether a valid escape is the one <see cref="Writers.JsonText"/> writes for its character: the two-character
    /// forms except "\/" (the writer leaves '/' as it is), and "\u00XX" with upper-case hex digits only for the other
    /// control characters.
    /// </summary>
    private static bool IsWritersEscape(ReadOnlySpan<byte> escape)
    {
        if (escape[1] != (byte)'u')
        {
            return escape[1] != (byte)'/';
        }

        return escape.Length == UnicodeEscapeLength
            && escape[2] == (byte)'0' && escape[3] == (byte)'0' && escape[4] is (byte)'0' or (byte)'1'
            && escape[5] is >= (byte)'0' and <= (byte)'9' or >= (byte)'A' and <= (byte)'F'
            && !JsonStringSpecials.HasShortEscape((byte)((HexValue(escape[4]) << 4) | HexValue(escape[5])));
    }

    private static int HexValue(byte digit) => digit <= (byte)'9' ? digit - '0' : digit - 'A' + 10;

    /// <summary>The four hex digits after "\u" at the start of <paramref name="escape"/>.</summary>
    private static bool TryReadHex(ReadOnlySpan<byte> escape, out int value)
    {
        value = 0;
        return escape.Length >= UnicodeEscapeLength
            && escape.Slice(2, 4).IndexOfAnyExcept(HexDigits) < 0
            && Utf8Parser.TryParse(escape.Slice(2, 4), out value, out var length, 'x')
            && length == 4;
    }

    /// <summary>The canonical role names as shared instances, so that a record holds no copy of them.</summary>
    private static string? Known(ReadOnlySpan<byte> text) => text.Length switch
    {
        4 when text.SequenceEqual("user"u8) => Roles.User,
        4 when text.SequenceEqual("tool"u8) => Roles.Tool,
        6 when text.SequenceEqual("system"u8) => Roles.System,
        9 when text.SequenceEqual("assistant"u8) => Roles.Assistant,
        _ => null,
    };

    private static bool TryTake(ReadOnlySpan<byte> json, ref int position, byte expected)
    {
        if (position < json.Length && json[position] == expected)
        {
            position++;
            return true;
        }

        return false;
    }

    private static bool TryTake(ReadOnlySpan<byte> json, ref int position, ReadOnlySpan<byte> expected)
    {
        if (json[position..].StartsWith(expected))
        {
            position += expected.Length;
            return true;
        }

        return false;
    }

    private static void Ensure(ref byte[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            Array.Resize(ref buffer, Math.Max(size, buffer.Length * 2));
            t_unescaped = buffer;
        }
    }
}
