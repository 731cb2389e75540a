using System.Globalization;
using System.Text;
using Curation.Core;
using Curation.Core.Files;

namespace Curation.Pipeline.ScaleOut.Boundary;

/// <summary>One record's key where shards meet: its hash, its place in its shard's input order, and how a later duplicate's reject names it.</summary>
internal readonly record struct KeyOccurrence(UInt128 Hash, long Sequence, string Label);

/// <summary>A later occurrence of a key in a shard: its place in the shard, and the label of the first occurrence in the whole input.</summary>
internal readonly record struct Duplicate(long Sequence, string FirstLabel);

/// <summary>What resolving one partition found.</summary>
internal readonly record struct PartitionCounts(long Keys, long Distinct, long Duplicates);

/// <summary>
/// Exact dedup across shards without any process holding every key: each task writes the keys of the records that
/// reach the boundary into one file per hash partition (in its input order); one step per partition reads that
/// partition's files in shard order (so in input order), keeps the first occurrence of each hash and writes every
/// later one to a duplicates file of its shard, naming the first; each shard's next task reads its duplicates from
/// every partition. The first occurrence in input order wins, as in one process, and each partition's step holds
/// only that partition's distinct keys. Layout under the boundary's folder:
/// <code>
/// p-00007/keys-00003.bin        task 3's keys in partition 7, in its input order
/// p-00007/duplicates-00003.bin  task 3's records whose key came earlier in the input (partition 7's step)
/// p-00007/resolved              written last by partition 7's step
/// </code>
/// Each file is written under a temporary name and renamed when complete, so a file that exists is whole.
/// </summary>
internal sealed class KeyExchange(string folder, int partitions, int shards)
{
    public string Folder { get; } = Path.GetFullPath(folder);

    public int Partitions { get; } = partitions > 0 ? partitions : throw new ArgumentOutOfRangeException(nameof(partitions), "at least one partition");

    public int Shards { get; } = shards > 0 ? shards : throw new ArgumentOutOfRangeException(nameof(shards), "at least one shard");

    /// <summary>The partition of a hash: by its high bits (tables key on the low ones).</summary>
    public int PartitionOf(UInt128 hash) => (int)((ulong)(hash >> 64) % (ulong)Partitions);

    public string KeysFile(int partition, int shard) => Path.Combine(PartitionFolder(partition), $"keys-{Index(shard)}.bin");

    /// <summary>Written last by a partition's step: every shard's duplicates file of the partition is complete.</summary>
    public string ResolvedMarker(int partition) => Path.Combine(PartitionFolder(partition), "resolved");

    public string DuplicatesFile(int partition, int shard) => Path.Combine(PartitionFolder(partition), $"duplicates-{Index(shard)}.bin");

    /// <summary>Writes shard <paramref name="shard"/>'s keys, given in its input order, one file per partition.</summary>
    public void WriteKeys(int shard, IEnumerable<KeyOccurrence> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var writer = OpenKeys(shard);
        foreach (var key in keys)
        {
            writer.Add(key);
        }

        writer.Commit();
    }

    /// <summary>Starts writing shard <paramref name="shard"/>'s keys, one file per partition, as they come.</summary>
    public KeysWriter OpenKeys(int shard) => new(this, shard);

    /// <summary>Partition <paramref name="partition"/>'s step: the first occurrence of each hash in shard then sequence order wins; every later one goes to its shard's duplicates file.</summary>
    /// <exception cref="CurationException">A shard's keys file is missing (its task has not completed) or cut short.</exception>
    public PartitionCounts Resolve(int partition)
    {
        // Every shard's keys before any duplicates file: a partition resolved in part would pass for resolved.
        for (var shard = 0; shard < Shards; shard++)
        {
            if (!File.Exists(KeysFile(partition, shard)))
            {
                throw new CurationException($"{DisplayPath.For(KeysFile(partition, shard))}: missing: task {shard} has not completed its keys for partition {partition}");
            }
        }

        File.Delete(ResolvedMarker(partition));
        var first = new Dictionary<UInt128, string>();
        long keys = 0, duplicates = 0;
        for (var shard = 0; shard < Shards; shard++)
        {
            var path = KeysFile(partition, shard);
            var found = new List<Duplicate>();
            Read(path, reader =>
            {
                var high = reader.ReadUInt64();
                var hash = new UInt128(high, reader.ReadUInt64());
                var sequence = reader.ReadInt64();
                var label = reader.ReadString();
                keys++;
                if (first.TryGetValue(hash, out var firstLabel))
                {
                    found.Add(new Duplicate(sequence, firstLabel));
                }
                else
                {
                    first.Add(hash, label);
                }
            });

            duplicates += found.Count;
            AtomicFile.Write(DuplicatesFile(partition, shard), stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                foreach (var duplicate in found)
                {
                    writer.Write(duplicate.Sequence);
                    writer.Write(duplicate.FirstLabel);
                }
            });
        }

        var counts = new PartitionCounts(keys, first.Count, duplicates);
        AtomicFile.WriteAllText(ResolvedMarker(partition), string.Create(CultureInfo.InvariantCulture, $"{counts.Keys} keys, {counts.Distinct} distinct, {counts.Duplicates} duplicates\n"));
        return counts;
    }

    /// <summary>Shard <paramref name="shard"/>'s duplicates from every partition, in its input order.</summary>
    /// <exception cref="CurationException">A partition's step has not completed, or its file is cut short.</exception>
    public IReadOnlyList<Duplicate> DuplicatesOf(int shard)
    {
        var all = new List<Duplicate>();
        for (var partition = 0; partition < Partitions; partition++)
        {
            if (!File.Exists(ResolvedMarker(partition)))
            {
                throw new CurationException($"{DisplayPath.For(ResolvedMarker(partition))}: missing: partition {partition} has not been resolved");
            }

            Read(DuplicatesFile(partition, shard), reader => all.Add(new Duplicate(reader.ReadInt64(), reader.ReadString())));
        }

        all.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return all;
    }

    private static void Read(string path, Action<BinaryReader> readOne)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                readOne(reader);
            }
        }
        catch (EndOfStreamException e)
        {
            throw new CurationException($"{DisplayPath.For(path)}: cut short: remove it and rerun the step that wrote it", e);
        }
    }

    internal string PartitionFolder(int partition) => Path.Combine(Folder, "p-" + Index(partition));

    private static string Temporary(string path) => path + ".tmp";

    private static string Index(int value) => value.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>One shard's keys as they come, in its input order: one temporary file per partition, renamed into place by <see cref="Commit"/>.</summary>
    internal sealed class KeysWriter : IDisposable
    {
        private readonly KeyExchange _exchange;
        private readonly int _shard;
        private readonly BinaryWriter[] _writers;
        private long _previous = long.MinValue;
        private bool _committed;

        public KeysWriter(KeyExchange exchange, int shard)
        {
            _exchange = exchange;
            _shard = shard;
            _writers = new BinaryWriter[exchange.Partitions];
            try
            {
                for (var p = 0; p < exchange.Partitions; p++)
                {
                    Directory.CreateDirectory(exchange.PartitionFolder(p));
                    _writers[p] = new BinaryWriter(new FileStream(Temporary(exchange.KeysFile(p, shard)), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 14), Encoding.UTF8);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public long Keys { get; private set; }

        public void Add(KeyOccurrence key)
        {
            if (key.Sequence <= _previous)
            {
                throw new ArgumentException($"keys must come in input order: sequence {key.Sequence} after {_previous}", nameof(key));
            }

            _previous = key.Sequence;
            var writer = _writers[_exchange.PartitionOf(key.Hash)];
            writer.Write((ulong)(key.Hash >> 64));
            writer.Write((ulong)key.Hash);
            writer.Write(key.Sequence);
            writer.Write(key.Label);
            Keys++;
        }

        public void Commit()
        {
            foreach (var writer in _writers)
            {
                writer.Flush();
                writer.Dispose();
            }

            for (var p = 0; p < _exchange.Partitions; p++)
            {
                File.Move(Temporary(_exchange.KeysFile(p, _shard)), _exchange.KeysFile(p, _shard), overwrite: true);
            }

            _committed = true;
        }

        public void Dispose()
        {
            if (_committed)
            {
                return;
            }

            for (var p = 0; p < _writers.Length; p++)
            {
                _writers[p]?.Dispose();
                File.Delete(Temporary(_exchange.KeysFile(p, _shard)));
            }
        }
    }
}
