using System.Runtime.InteropServices;

namespace Curation.Core.Unicode;

/// <summary>
/// Lookups over the generated normalisation tables (<c>NormalizationData.g.cs</c>): per-code-point properties through
/// a two-stage table built once at start-up, decompositions and primary compositions by binary search.
/// </summary>
internal static partial class NormalizationData
{
    public const int CombiningClassMask = 0xFF;
    public const int NfcNo = 1 << 8;
    public const int Maybe = 1 << 9;
    public const int NfkcNo = 1 << 10;
    public const int HasCanonical = 1 << 11;
    public const int HasCompatibility = 1 << 12;

    private const int BlockBits = 8;
    private const int BlockSize = 1 << BlockBits;
    private const int CodePointLimit = 0x110000;

    private const int HangulBase = 0xAC00;
    private const int HangulCount = 11172;
    private const int LeadBase = 0x1100;
    private const int LeadCount = 19;
    private const int VowelBase = 0x1161;
    private const int VowelCount = 21;
    private const int TrailBase = 0x11A7;
    private const int TrailCount = 28;
    private const int SyllablesPerLead = VowelCount * TrailCount;

    private static readonly (ushort[] Index, ushort[] Blocks) Table = BuildTable();

    public static int Properties(int codePoint)
    {
        var (index, blocks) = Table;
        return blocks[(index[codePoint >> BlockBits] << BlockBits) | (codePoint & (BlockSize - 1))];
    }

    public static int CombiningClass(int codePoint) => Properties(codePoint) & CombiningClassMask;

    public static bool IsHangulSyllable(int codePoint) => (uint)(codePoint - HangulBase) < HangulCount;

    /// <summary>Writes the algorithmic decomposition of a Hangul syllable (two or three jamo) and returns how many.</summary>
    public static int DecomposeHangul(int syllable, Span<int> jamo)
    {
        var index = syllable - HangulBase;
        jamo[0] = LeadBase + (index / SyllablesPerLead);
        jamo[1] = VowelBase + (index % SyllablesPerLead / TrailCount);
        var trail = index % TrailCount;
        if (trail == 0)
        {
            return 2;
        }

        jamo[2] = TrailBase + trail;
        return 3;
    }

    /// <summary>The full decomposition of a code point whose properties say it has one (not Hangul).</summary>
    public static ReadOnlySpan<char> Decomposition(int codePoint, bool compatibility)
    {
        if (compatibility && (Properties(codePoint) & HasCompatibility) != 0)
        {
            return Lookup(codePoint, CompatibilityKeys, CompatibilityOffsets, CompatibilityText);
        }

        return Lookup(codePoint, CanonicalKeys, CanonicalOffsets, CanonicalText);
    }

    public static bool TryCompose(int first, int second, out int composite)
    {
        var leadIndex = first - LeadBase;
        if ((uint)leadIndex < LeadCount)
        {
            var vowelIndex = second - VowelBase;
            composite = HangulBase + (((leadIndex * VowelCount) + vowelIndex) * TrailCount);
            return (uint)vowelIndex < VowelCount;
        }

        var syllableIndex = first - HangulBase;
        if ((uint)syllableIndex < HangulCount && syllableIndex % TrailCount == 0)
        {
            var trailIndex = second - TrailBase;
            composite = first + trailIndex;
            return trailIndex is > 0 and < TrailCount;
        }

        var found = CompositionKeys.BinarySearch(((long)first << 21) | (uint)second);
        composite = found >= 0 ? CompositionValues[found] : 0;
        return found >= 0;
    }

    private static ReadOnlySpan<char> Lookup(int codePoint, ReadOnlySpan<int> keys, ReadOnlySpan<ushort> offsets, string text)
    {
        var found = keys.BinarySearch(codePoint);
        if (found < 0)
        {
            throw new InvalidOperationException($"no decomposition for U+{codePoint:X4} although its properties say so");
        }

        return text.AsSpan(offsets[found], offsets[found + 1] - offsets[found]);
    }

    private static (ushort[] Index, ushort[] Blocks) BuildTable()
    {
        var starts = PropertyRunStarts;
        var values = PropertyRunValues;
        var index = new ushort[CodePointLimit >> BlockBits];
        var blocks = new List<ushort>();
        var known = new Dictionary<string, ushort>(StringComparer.Ordinal);
        Span<ushort> block = stackalloc ushort[BlockSize];
        Span<ushort> previous = stackalloc ushort[BlockSize];
        var run = 0;
        for (var blockStart = 0; blockStart < CodePointLimit; blockStart += BlockSize)
        {
            var offset = 0;
            while (offset < BlockSize)
            {
                var codePoint = blockStart + offset;
                while (run + 1 < starts.Length && starts[run + 1] <= codePoint)
                {
                    run++;
                }

                var runEnd = run + 1 < starts.Length ? starts[run + 1] : CodePointLimit;
                var count = Math.Min(BlockSize - offset, runEnd - codePoint);
                block.Slice(offset, count).Fill(values[run]);
                offset += count;
            }

            // Most of the code space repeats the block before it; the rest shares a handful of blocks, deduped by content.
            if (blockStart > 0 && block.SequenceEqual(previous))
            {
                index[blockStart >> BlockBits] = index[(blockStart >> BlockBits) - 1];
                continue;
            }

            var key = new string(MemoryMarshal.Cast<ushort, char>(block));
            if (!known.TryGetValue(key, out var number))
            {
                number = (ushort)known.Count;
                known.Add(key, number);
                foreach (var value in block)
                {
                    blocks.Add(value);
                }
            }

            index[blockStart >> BlockBits] = number;
            block.CopyTo(previous);
        }

        return (index, blocks.ToArray());
    }
}
