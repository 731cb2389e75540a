using Curation.IO.Formats;

namespace Curation.IO.Tests.Formats;

public sealed class JsonStringSpecialsTests
{
    [Fact]
    public void IndexOf_EveryLengthAndPosition_FindsTheFirstSpecialByte()
    {
        byte[] specials = [(byte)'"', (byte)'\\', 0x00, 0x0A, 0x1F];
        byte[] plain = [(byte)' ', (byte)'a', 0x7F, 0x80, 0xC3, 0xFF, (byte)'!', (byte)'#', (byte)'[', (byte)']', 0x20, 0x5B, 0x5D];
        var random = new Random(5);
        for (var length = 0; length <= 140; length++)
        {
            var text = new byte[length];
            for (var i = 0; i < length; i++)
            {
                text[i] = plain[random.Next(plain.Length)];
            }

            Assert.Equal(-1, JsonStringSpecials.IndexOf(text));
            for (var position = 0; position < length; position++)
            {
                var copy = (byte[])text.Clone();
                copy[position] = specials[random.Next(specials.Length)];
                if (position + 1 < length && random.Next(2) == 0)
                {
                    copy[random.Next(position + 1, length)] = specials[random.Next(specials.Length)];
                }

                Assert.Equal(position, JsonStringSpecials.IndexOf(copy));
            }
        }
    }

    [Fact]
    public void IndexOf_AnyByte_AgreesWithTheDefinition()
    {
        for (var value = 0; value < 256; value++)
        {
            byte[] text = [.. Enumerable.Repeat((byte)'a', 40), (byte)value, .. Enumerable.Repeat((byte)'a', 3)];
            var special = value < 0x20 || value == '"' || value == '\\';

            Assert.Equal(special ? 40 : -1, JsonStringSpecials.IndexOf(text));
        }
    }
}
