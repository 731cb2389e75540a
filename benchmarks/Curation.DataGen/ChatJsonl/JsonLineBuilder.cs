using System.Buffers;
using System.Text;

namespace Curation.DataGen.ChatJsonl;

/// <summary>
/// Appends compact JSON straight into a byte buffer. Text is copied in runs between the few characters JSON must
/// escape, so mostly-ASCII content goes through the vectorised UTF-8 encoder instead of character by character.
/// </summary>
internal sealed class JsonLineBuilder
{
    private static readonly SearchValues<char> MustEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _output;

    public JsonLineBuilder(ArrayBufferWriter<byte> output)
    {
        _output = output;
    }

    public void Raw(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(_output.GetSpan(utf8.Length));
        _output.Advance(utf8.Length);
    }

    public void Byte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    /// <summary>Writes <paramref name="text"/> as a quoted JSON string.</summary>
    public void String(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Byte((byte)'"');
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var stop = rest.IndexOfAny(MustEscape);
            var run = stop < 0 ? rest : rest[..stop];
            if (!run.IsEmpty)
            {
                var written = Encoding.UTF8.GetBytes(run, _output.GetSpan(Encoding.UTF8.GetMaxByteCount(run.Length)));
                _output.Advance(written);
            }

            if (stop < 0)
            {
                break;
            }

            Escape(rest[stop]);
            rest = rest[(stop + 1)..];
        }

        Byte((byte)'"');
    }

    private void Escape(char c)
    {
        var span = _output.GetSpan(6);
        span[0] = (byte)'\\';
        var length = 2;
        switch (c)
        {
            case '"': span[1] = (byte)'"'; break;
            case '\\': span[1] = (byte)'\\'; break;
            case '\n': span[1] = (byte)'n'; break;
            case '\r': span[1] = (byte)'r'; break;
            case '\t': span[1] = (byte)'t'; break;
            default:
                span[1] = (byte)'u';
                span[2] = (byte)'0';
                span[3] = (byte)'0';
                span[4] = Hex[c >> 4];
                span[5] = Hex[c & 0xF];
                length = 6;
                break;
        }

        _output.Advance(length);
    }
}
