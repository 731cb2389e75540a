using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Curation.IO.Formats;

namespace Curation.IO.Writers;

/// <summary>
/// Writes string values the way <see cref="RelaxedJsonEncoder"/> escapes them (quote, backslash and control
/// characters only; all other text as UTF-8; a lone surrogate as U+FFFD), but in one vectorised pass over UTF-8
/// instead of the writer's per-character encoder callbacks, which dominated the cost of writing message text.
/// </summary>
internal static class JsonText
{
    [ThreadStatic]
    private static byte[]? t_utf8;

    [ThreadStatic]
    private static byte[]? t_escaped;

    /// <summary>"name": "value", with <paramref name="value"/> escaped as described above.</summary>
    public static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(Quote(value), skipInputValidation: true);
    }

    /// <summary>The quoted, escaped UTF-8 of <paramref name="value"/>; valid until the next call on this thread.</summary>
    internal static ReadOnlySpan<byte> Quote(string value)
    {
        var utf8 = Buffer(ref t_utf8, Encoding.UTF8.GetMaxByteCount(value.Length) + 2);
        Utf8.FromUtf16(value, utf8.AsSpan(1), out _, out var length, replaceInvalidSequences: true);
        var text = utf8.AsSpan(1, length);
        var next = JsonStringSpecials.IndexOf(text);
        if (next < 0)
        {
            utf8[0] = (byte)'"';
            utf8[length + 1] = (byte)'"';
            return utf8.AsSpan(0, length + 2);
        }

        var escaped = Buffer(ref t_escaped, (length * 6) + 2);
        escaped[0] = (byte)'"';
        text[..next].CopyTo(escaped.AsSpan(1));
        var written = 1 + next + EscapeFrom(text[next..], escaped.AsSpan(1 + next));
        return escaped.AsSpan(0, written);
    }

    /// <summary>
    /// Writes what <see cref="Quote"/> returns straight into <paramref name="output"/>: the text is transcoded in
    /// place and only the part from the first byte to escape on is copied once more.
    /// </summary>
    internal static void WriteQuoted(IBufferWriter<byte> output, string value)
    {
        var span = output.GetSpan((value.Length * 3) + 2);
        Utf8.FromUtf16(value, span[1..], out _, out var length, replaceInvalidSequences: true);
        var text = span.Slice(1, length);
        var next = JsonStringSpecials.IndexOf(text);
        span[0] = (byte)'"';
        if (next < 0)
        {
            span[length + 1] = (byte)'"';
            output.Advance(length + 2);
            return;
        }

        var tail = Buffer(ref t_escaped, length - next).AsSpan(0, length - next);
        text[next..].CopyTo(tail);
        output.Advance(1 + next);
        output.Advance(EscapeFrom(tail, output.GetSpan((tail.Length * 6) + 1)));
    }

    /// <summary>Escapes <paramref name="text"/>, which starts with a byte to escape, and closes the quotes; returns the bytes written.</summary>
    private static int EscapeFrom(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        var written = 0;
        var next = 0;
        while (next >= 0)
        {
            text[..next].CopyTo(destination[written..]);
            written += next;
            written += Escape(text[next], destination[written..]);
            text = text[(next + 1)..];
            next = JsonStringSpecials.IndexOf(text);
        }

        text.CopyTo(destination[written..]);
        written += text.Length;
        destination[written++] = (byte)'"';
        return written;
    }

    private static int Escape(byte value, Span<byte> destination)
    {
        destination[0] = (byte)'\\';
        byte shortForm = value switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\n' => (byte)'n',
            (byte)'\r' => (byte)'r',
            (byte)'\t' => (byte)'t',
            (byte)'\b' => (byte)'b',
            (byte)'\f' => (byte)'f',
            _ => 0,
        };
        if (shortForm != 0)
        {
            destination[1] = shortForm;
            return 2;
        }

        destination[1] = (byte)'u';
        destination[2] = (byte)'0';
        destination[3] = (byte)'0';
        destination[4] = HexDigit(value >> 4);
        destination[5] = HexDigit(value & 0xF);
        return 6;
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'A' + value - 10);

    private static byte[] Buffer(ref byte[]? cached, int size)
    {
        if (cached is null || cached.Length < size)
        {
            cached = new byte[Math.Max(size, 4096)];
        }

        return cached;
    }
}
