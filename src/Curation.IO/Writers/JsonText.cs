using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    /// Writes what <see cref="Quote"/> returns straight into <paramref name="output"/>. ASCII goes through in one pass
    /// that narrows 16 chars at a time and escapes as it goes; from the first non-ASCII block on, the text is transcoded
    /// in place and only the part from the first byte to escape on is copied once more.
    /// </summary>
    internal static void WriteQuoted(IBufferWriter<byte> output, string value)
    {
        // Enough for the worst case: 6 bytes for each char escaped as \u00XX, 3 for any other UTF-16 unit.
        var span = output.GetSpan((value.Length * 6) + 2);
        span[0] = (byte)'"';
        var written = 1;
        var read = AsciiPrefix(value, span, ref written);
        Utf8.FromUtf16(value.AsSpan(read), span[written..], out _, out var length, replaceInvalidSequences: true);
        var text = span.Slice(written, length);
        var next = JsonStringSpecials.IndexOf(text);
        if (next < 0)
        {
            span[written + length] = (byte)'"';
            output.Advance(written + length + 1);
            return;
        }

        var tail = Buffer(ref t_escaped, length - next).AsSpan(0, length - next);
        text[next..].CopyTo(tail);
        written += next;
        written += EscapeFrom(tail, span[written..]);
        output.Advance(written);
    }

    /// <summary>
    /// Narrows and escapes whole blocks of 16 ASCII chars into <paramref name="destination"/> at <paramref name="written"/>;
    /// returns how many chars it consumed (it stops before the first block with a non-ASCII char, and before the last
    /// partial block).
    /// </summary>
    private static int AsciiPrefix(string value, Span<byte> destination, ref int written)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        ref var source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(value.AsSpan()));
        ref var target = ref MemoryMarshal.GetReference(destination);
        var read = 0;
        while (read + Vector256<ushort>.Count <= value.Length)
        {
            var block = Vector256.LoadUnsafe(ref source, (nuint)read);
            if ((block & Vector256.Create((ushort)0xFF80)) != Vector256<ushort>.Zero)
            {
                break;
            }

            // Destination room: the reservation allows 6 bytes per char, and a block writes 16 bytes for 16 chars.
            Vector128.Narrow(block.GetLower(), block.GetUpper()).StoreUnsafe(ref target, (nuint)written);
            var specials = Vector256.Equals(block, Vector256.Create((ushort)'"'))
                | Vector256.Equals(block, Vector256.Create((ushort)'\\'))
                | Vector256.LessThan(block, Vector256.Create((ushort)0x20));
            if (specials == Vector256<ushort>.Zero)
            {
                read += Vector256<ushort>.Count;
                written += Vector256<ushort>.Count;
                continue;
            }

            var plain = BitOperations.TrailingZeroCount(specials.ExtractMostSignificantBits());
            read += plain;
            written += plain;
            written += Escape((byte)value[read], destination[written..]);
            read++;
        }

        return read;
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
