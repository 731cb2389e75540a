using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// Input ids by key (XxHash128 of the id) with the place each was first used: what a task saw first (its ids part),
/// or what earlier shards used before it (its seed). Binary: a count, then key halves, file, position and unit.
/// </summary>
internal static class IdsFile
{
    public static void Write(string path, IEnumerable<(UInt128 Key, SourceRef First)> ids)
    {
        var list = ids.ToList();
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(list.Count);
            foreach (var (key, first) in list)
            {
                writer.Write((ulong)(key >> 64));
                writer.Write((ulong)key);
                writer.Write(first.File);
                writer.Write(first.Position);
                writer.Write((byte)first.Unit);
            }
        });
    }

    /// <summary>The ids in the file; none when it does not exist.</summary>
    /// <exception cref="CurationException">The file is cut short.</exception>
    public static List<(UInt128 Key, SourceRef First)> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            var count = reader.ReadInt32();
            var ids = new List<(UInt128, SourceRef)>(count);
            for (var i = 0; i < count; i++)
            {
                var high = reader.ReadUInt64();
                var low = reader.ReadUInt64();
                ids.Add((new UInt128(high, low), new SourceRef(reader.ReadString(), reader.ReadInt64(), (SourceUnit)reader.ReadByte())));
            }

            return ids;
        }
        catch (EndOfStreamException e)
        {
            throw new CurationException($"{DisplayPath.For(path)}: cut short: remove it and rerun the task", e);
        }
    }
}
