namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// GPT-2's byte-to-character mapping, which byte-level BPE vocabularies (tokenizer.json of GPT-2, Llama 3, Qwen2,
/// SmolLM) are written in: printable Latin-1 bytes map to themselves, the other 68 to U+0100 onwards (space is Ġ).
/// </summary>
public static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> CharToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    public static string ToText(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteToChar[bytes[i]];
        }

        return new string(chars);
    }

    /// <summary>The bytes a vocabulary entry stands for; false when it holds a character outside the alphabet.</summary>
    public static bool TryToBytes(string token, out byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(token);
        bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            if (!CharToByte.TryGetValue(token[i], out bytes[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        var assigned = new bool[256];
        foreach (var (from, to) in new[] { ('!', '~'), ('¡', '¬'), ('®', 'ÿ') })
        {
            for (var c = from; c <= to; c++)
            {
                map[c] = c;
                assigned[c] = true;
            }
        }

        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            if (!assigned[b])
            {
                map[b] = (char)next++;
            }
        }

        return map;
    }
}
