using System.Buffers.Binary;
using System.Text;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// SentencePiece's normaliser as the official library runs it: the model's precompiled character map (nmt_nfkc,
/// nfkc_cf, or a custom rule set; Microsoft.ML.Tokenizers 2.0.1 ignores it), user-defined symbols left as they are,
/// extra whitespace removed, the dummy prefix added and spaces escaped as ▁. Also gives, for each character of the
/// normalised text, where it came from in the original, so that token offsets refer to the text given.
/// </summary>
internal sealed class SentencePieceTextNormalizer
{
    private static readonly byte[] ReplacementCharacter = [0xEF, 0xBF, 0xBD];

    private readonly uint[] _trie;
    private readonly byte[] _replacements;
    private readonly byte[][] _userDefined;
    private readonly bool _addDummyPrefix;
    private readonly bool _removeExtraWhitespaces;
    private readonly bool _escapeWhitespaces;

    // ASCII bytes that no rule and no user-defined symbol begins with: they stay as they are, without a trie search.
    private readonly bool[] _asciiUnchanged = new bool[128];

    public SentencePieceTextNormalizer(SentencePieceModelProto model, IEnumerable<string> userDefinedSymbols)
    {
        ArgumentNullException.ThrowIfNull(model);
        (_trie, _replacements) = DecodeCharsMap(model.CharsMap);
        _userDefined = [.. userDefinedSymbols.Where(symbol => symbol.Length > 0).Select(Encoding.UTF8.GetBytes).OrderByDescending(symbol => symbol.Length)];
        _addDummyPrefix = model.AddDummyPrefix;
        _removeExtraWhitespaces = model.RemoveExtraWhitespaces;
        _escapeWhitespaces = model.EscapeWhitespaces;
        for (var b = 0; b < 128; b++)
        {
            _asciiUnchanged[b] = !StartsRule((byte)b) && !_userDefined.Any(symbol => symbol[0] == b);
        }
    }

    /// <summary>
    /// Normalises <paramref name="text"/>; <paramref name="origins"/>[i] is the index in <paramref name="text"/> that
    /// normalised character i came from, with one more entry for the end.
    /// </summary>
    /// <param name="addDummyPrefix">Whether to add the model's dummy prefix (only at the start of the text, not after a special token).</param>
    public string Normalize(string text, bool addDummyPrefix, out int[] origins)
    {
        var input = Encoding.UTF8.GetBytes(text);
        var byteToChar = ByteToCharIndex(text, input.Length);
        var output = new List<byte>(input.Length + 8);
        var outputOrigins = new List<int>(input.Length + 8);
        var consumed = 0;

        if (_removeExtraWhitespaces)
        {
            while (consumed < input.Length)
            {
                var length = NormalizePrefix(input.AsSpan(consumed), out var replacement);
                if (replacement is not [(byte)' '])
                {
                    break;
                }

                consumed += length;
            }
        }

        if (consumed == input.Length)
        {
            origins = [text.Length];
            return "";
        }

        if (addDummyPrefix && _addDummyPrefix)
        {
            AppendSpace(output, outputOrigins, consumed);
        }

        var previousWasSpace = _removeExtraWhitespaces;
        while (consumed < input.Length)
        {
            var length = NormalizePrefix(input.AsSpan(consumed), out var piece);
            while (previousWasSpace && piece.Length > 0 && piece[0] == (byte)' ')
            {
                piece = piece[1..];
            }

            if (piece.Length > 0)
            {
                foreach (var b in piece)
                {
                    if (b == (byte)' ')
                    {
                        AppendSpace(output, outputOrigins, consumed);
                    }
                    else
                    {
                        output.Add(b);
                        outputOrigins.Add(consumed);
                    }
                }

                previousWasSpace = piece[^1] == (byte)' ';
            }

            consumed += length;
            if (!_removeExtraWhitespaces)
            {
                previousWasSpace = false;
            }
        }

        if (_removeExtraWhitespaces)
        {
            var space = _escapeWhitespaces ? "\u2581"u8 : " "u8;
            while (output.Count >= space.Length && EndsWith(output, space))
            {
                var length = output.Count - space.Length;
                consumed = outputOrigins[length];
                output.RemoveRange(length, space.Length);
                outputOrigins.RemoveRange(length, space.Length);
            }
        }

        outputOrigins.Add(consumed);
        var bytes = output.ToArray();
        var normalized = Encoding.UTF8.GetString(bytes);
        origins = new int[normalized.Length + 1];
        var position = 0;
        for (var i = 0; i < normalized.Length; i++)
        {
            origins[i] = byteToChar[outputOrigins[position]];
            position += char.IsHighSurrogate(normalized[i]) ? 0 : Utf8Length(normalized, i);
        }

        origins[^1] = byteToChar[outputOrigins[^1]];
        return normalized;
    }

    private void AppendSpace(List<byte> output, List<int> origins, int consumed)
    {
        var space = _escapeWhitespaces ? "\u2581"u8 : " "u8;
        foreach (var b in space)
        {
            output.Add(b);
            origins.Add(consumed);
        }
    }

    /// <summary>How many UTF-8 bytes the character ending a code point at <paramref name="i"/> takes (a pair's low half carries all four).</summary>
    private static int Utf8Length(string text, int i) => text[i] switch
    {
        < '\u0080' => 1,
        < '\u0800' => 2,
        _ when char.IsLowSurrogate(text[i]) => 4,
        _ => 3,
    };

    private static bool EndsWith(List<byte> output, ReadOnlySpan<byte> suffix)
    {
        for (var i = 0; i < suffix.Length; i++)
        {
            if (output[output.Count - suffix.Length + i] != suffix[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The char index in <paramref name="text"/> of each UTF-8 byte offset (and of the end).</summary>
    private static int[] ByteToCharIndex(string text, int byteCount)
    {
        var map = new int[byteCount + 1];
        var position = 0;
        for (var i = 0; i < text.Length; i++)
        {
            int length;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                length = 4;
            }
            else
            {
                length = text[i] < '\u0080' ? 1 : text[i] < '\u0800' ? 2 : 3;
            }

            for (var b = 0; b < length; b++)
            {
                map[position + b] = i;
            }

            position += length;
            if (length == 4)
            {
                i++;
            }
        }

        map[byteCount] = text.Length;
        return map;
    }

    /// <summary>How many bytes of <paramref name="input"/> the longest matching rule consumes, and what it gives.</summary>
    private int NormalizePrefix(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement)
    {
        if (input[0] < 0x80 && _asciiUnchanged[input[0]])
        {
            replacement = input[..1];
            return 1;
        }

        foreach (var symbol in _userDefined)
        {
            if (input.StartsWith(symbol))
            {
                replacement = input[..symbol.Length];
                return symbol.Length;
            }
        }

        var (length, value) = LongestRule(input);
        if (length > 0)
        {
            var end = Array.IndexOf(_replacements, (byte)0, value);
            replacement = _replacements.AsSpan(value, (end < 0 ? _replacements.Length : end) - value);
            return length;
        }

        var charLength = ValidUtf8Length(input);
        replacement = charLength > 0 ? input[..charLength] : ReplacementCharacter;
        return Math.Max(charLength, 1);
    }

    private bool StartsRule(byte first)
    {
        if (_trie.Length == 0)
        {
            return false;
        }

        var node = Offset(_trie[0]) ^ first;
        return node < _trie.Length && Label(_trie[node]) == first;
    }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);

    private static uint Label(uint unit) => unit & ((1u << 31) | 0xFF);

    /// <summary>A Darts double-array common-prefix search, keeping the longest match.</summary>
    private (int Length, int Value) LongestRule(ReadOnlySpan<byte> key)
    {
        if (_trie.Length == 0)
        {
            return (0, 0);
        }

        int longest = 0, longestValue = 0;
        var node = (long)Offset(_trie[0]);
        for (var i = 0; i < key.Length; i++)
        {
            node ^= key[i];
            if (node < 0 || node >= _trie.Length)
            {
                break;
            }

            var unit = _trie[node];
            if (Label(unit) != key[i])
            {
                break;
            }

            node ^= Offset(unit);
            if (HasLeaf(unit) && node < _trie.Length)
            {
                longest = i + 1;
                longestValue = (int)(_trie[node] & 0x7FFFFFFF);
            }
        }

        return (longest, longestValue);

        static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;
    }

    private static int ValidUtf8Length(ReadOnlySpan<byte> input)
    {
        var length = input[0] switch
        {
            < 0x80 => 1,
            >= 0xC2 and < 0xE0 => 2,
            >= 0xE0 and < 0xF0 => 3,
            >= 0xF0 and < 0xF5 => 4,
            _ => 0,
        };
        if (length == 0 || length > input.Length)
        {
            return 0;
        }

        return System.Text.Unicode.Utf8.IsValid(input[..length]) ? length : 0;
    }

    /// <summary>The blob: a little-endian uint32 trie size in bytes, the double-array trie, then NUL-terminated replacements.</summary>
    private static (uint[] Trie, byte[] Replacements) DecodeCharsMap(byte[] blob)
    {
        if (blob.Length < 4)
        {
            return ([], []);
        }

        var trieSize = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieSize > blob.Length - 4 || trieSize % 4 != 0)
        {
            throw new FormatException("precompiled_charsmap: trie size out of range");
        }

        var trie = new uint[trieSize / 4];
        for (var i = 0; i < trie.Length; i++)
        {
            trie[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4 + (i * 4)));
        }

        return (trie, blob[(4 + (int)trieSize)..]);
    }
}
