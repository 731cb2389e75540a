using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// Input ids by key (XxHash128 of the id) with the place each was first used: what a task saw first (its ids part),
/// or what earlier shards used before it (its seed). Binary: a count, then, in ascending key order, key halves, file,
/// position and unit. Sorted so that every shard's files can be merged in key order without holding any in memory.
/// </summary>
internal static class IdsFile
{
    /// <summary>Writes <paramref name="ids"/>, distinct keys, sorted by key.</summary>
    public static void Write(string path, IEnumerable<(UInt128 Key, SourceRef First)> ids)
    {
        var list = ids.ToList();
        list.Sort((a, b) => a.Key.CompareTo(b.Key));
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

    /// <summary>The ids in the file, in key order; none when it does not exist.</summary>
    /// <exception cref="CurationException">The file is cut short or out of order.</exception>
    public static List<(UInt128 Key, SourceRef First)> Read(string path)
    {
        using var reader = Open(path);
        var ids = new List<(UInt128, SourceRef)>(reader.Count);
        while (reader.Next() is { } id)
        {
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>Reads the file one id at a time; an empty reader when it does not exist.</summary>
    public static IdsReader Open(string path) => new(path);
}

/// <summary>The ids of one <see cref="IdsFile"/>, one at a time, in key order.</summary>
internal sealed class IdsReader : IDisposable
{
    private readonly string _path;
    private readonly BinaryReader? _reader;
    private int _left;
    private UInt128? _last;

    /// <exception cref="CurationException">The file is cut short.</exception>
    public IdsReader(string path)
    {
        _path = path;
        if (!File.Exists(path))
        {
            return;
        }

        _reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16));
        Count = Guard(_reader.ReadInt32);
        _left = Count;
    }

    public int Count { get; }

    /// <summary>The next id, or null after the last.</summary>
    /// <exception cref="CurationException">The file is cut short, or its keys are not ascending.</exception>
    public (UInt128 Key, SourceRef First)? Next()
    {
        if (_reader is null || _left == 0)
        {
            return null;
        }

        _left--;
        var id = Guard(() =>
        {
            var key = new UInt128(_reader.ReadUInt64(), _reader.ReadUInt64());
            return (key, new SourceRef(_reader.ReadString(), _reader.ReadInt64(), (SourceUnit)_reader.ReadByte()));
        });
        if (_last is { } last && id.key <= last)
        {
            throw new CurationException($"{DisplayPath.For(_path)}: ids out of order: remove it and rerun the task");
        }

        _last = id.key;
        return id;
    }

    public void Dispose() => _reader?.Dispose();

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException e)
        {
            throw new CurationException($"{DisplayPath.For(_path)}: cut short: remove it and rerun the task", e);
        }
    }
}
