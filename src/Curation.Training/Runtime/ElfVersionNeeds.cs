using System.Buffers.Binary;
using System.Text;

namespace Curation.Training.Runtime;

/// <summary>One symbol version a shared library says it needs from another (an entry of <c>.gnu.version_r</c>).</summary>
/// <param name="Index">The version index (<c>vna_other</c>) that symbols bound to this need carry in <c>.gnu.version</c>.</param>
public sealed record VersionNeed(string Library, string Version, bool Weak, long FlagsOffset, int Index);

/// <summary>
/// Reads and edits the version needs of a 64-bit little-endian ELF shared library. A need marked weak
/// (<c>VER_FLG_WEAK</c>) no longer stops the dynamic loader when the providing library lacks that version; only
/// symbols bound to it would fail, and a marker version that no relocation uses has none.
/// </summary>
public static class ElfVersionNeeds
{
    public const ushort WeakFlag = 0x2;
    private const uint VersionNeedsSection = 0x6ffffffe;
    private const uint SymbolVersionsSection = 0x6fffffff;
    private const uint DynamicSymbolsSection = 11;

    /// <exception cref="InvalidDataException">Not a 64-bit little-endian ELF file, or a damaged one.</exception>
    public static IReadOnlyList<VersionNeed> Read(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || !elf[..4].SequenceEqual("\u007fELF"u8) || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        var sectionsAt = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]));
        var sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        var needs = new List<VersionNeed>();
        for (var i = 0; i < sectionCount; i++)
        {
            var header = elf.Slice(sectionsAt + (i * sectionSize), sectionSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != VersionNeedsSection)
            {
                continue;
            }

            var offset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            var stringsIndex = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var entries = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            var stringsHeader = elf.Slice(sectionsAt + (stringsIndex * sectionSize), sectionSize);
            var strings = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(stringsHeader[0x18..]));
            var need = offset;
            for (var n = 0; n < entries; n++)
            {
                var count = BinaryPrimitives.ReadUInt16LittleEndian(elf[(need + 2)..]);
                var library = CString(elf, strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 4)..]));
                var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 8)..]);
                for (var a = 0; a < count; a++)
                {
                    var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf[(aux + 4)..]);
                    var index = BinaryPrimitives.ReadUInt16LittleEndian(elf[(aux + 6)..]);
                    var version = CString(elf, strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 8)..]));
                    needs.Add(new VersionNeed(library, version, (flags & WeakFlag) != 0, aux + 4, index));
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(aux + 12)..]);
                }

                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(need + 12)..]);
            }
        }

        return needs;
    }

    /// <summary>The dynamic symbols bound to a version need: what would fail to resolve without that version.</summary>
    public static IReadOnlyList<string> SymbolsBoundTo(ReadOnlySpan<byte> elf, VersionNeed need)
    {
        ArgumentNullException.ThrowIfNull(need);
        var sectionsAt = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]));
        var sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        int versions = -1, symbols = -1;
        for (var i = 0; i < sectionCount; i++)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(Header(elf, sectionsAt, sectionSize, i)[4..]);
            versions = type == SymbolVersionsSection ? i : versions;
            symbols = type == DynamicSymbolsSection ? i : symbols;
        }

        if (versions < 0 || symbols < 0)
        {
            return [];
        }

        var versionsAt = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(Header(elf, sectionsAt, sectionSize, versions)[0x18..]));
        var symbolsAt = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(Header(elf, sectionsAt, sectionSize, symbols)[0x18..]));
        var symbolCount = checked((int)(BinaryPrimitives.ReadUInt64LittleEndian(Header(elf, sectionsAt, sectionSize, symbols)[0x20..]) / 24));
        var namesAt = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(Header(elf, sectionsAt, sectionSize, (int)BinaryPrimitives.ReadUInt32LittleEndian(Header(elf, sectionsAt, sectionSize, symbols)[0x28..]))[0x18..]));
        var bound = new List<string>();
        for (var s = 0; s < symbolCount; s++)
        {
            if ((BinaryPrimitives.ReadUInt16LittleEndian(elf[(versionsAt + (2 * s))..]) & 0x7fff) == need.Index)
            {
                bound.Add(CString(elf, namesAt + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf[(symbolsAt + (24 * s))..])));
            }
        }

        return bound;
    }

    /// <summary>Marks the named version needs weak; returns how many it changed (0 when all were already weak).</summary>
    public static int MarkWeak(Span<byte> elf, Func<VersionNeed, bool> which)
    {
        ArgumentNullException.ThrowIfNull(which);
        var changed = 0;
        foreach (var need in Read(elf))
        {
            if (!need.Weak && which(need))
            {
                var at = elf[(int)need.FlagsOffset..];
                BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(at) | WeakFlag));
                changed++;
            }
        }

        return changed;
    }

    private static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> elf, int sectionsAt, int sectionSize, int index) =>
        elf.Slice(sectionsAt + (index * sectionSize), sectionSize);

    private static string CString(ReadOnlySpan<byte> elf, int at)
    {
        var end = elf[at..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(elf.Slice(at, end));
    }
}
