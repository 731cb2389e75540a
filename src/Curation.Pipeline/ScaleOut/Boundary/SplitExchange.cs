using System.Globalization;
using System.Text;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Files;
using Curation.Splits;

namespace Curation.Pipeline.ScaleOut.Boundary;

/// <summary>
/// A split across shards without any process reading every record: each task of the step before writes, per record
/// it keeps, in input order, what assigning it needs (<see cref="SplitKey"/>); the split step reads every shard's keys
/// in shard order (so in input order), assigns them as one process would (<see cref="SplitResolver"/>) and writes each
/// shard's splits, one byte per record; each shard's next task marks its records and writes its parts of the split
/// files. Layout under the split step's folder:
/// <code>
/// keys-00003.bin          task 3's keys: per record its group hash (16 bytes), flags (1), stratum number (a new one followed by its name)
/// assignments-00003.bin   task 3's records' splits, one byte each, in its input order
/// resolved.json           written last by the split step: its notes and the records each split file gets
/// </code>
/// Each file is written under a temporary name and renamed when complete, so a file that exists is whole.
/// </summary>
internal sealed class SplitExchange(string folder, int shards)
{
    private const byte Representable = 1;
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public string Folder { get; } = Path.GetFullPath(folder);

    public int Shards { get; } = shards > 0 ? shards : throw new ArgumentOutOfRangeException(nameof(shards), "at least one shard");

    public string KeysFile(int shard) => Path.Combine(Folder, $"keys-{Index(shard)}.bin");

    public string AssignmentsFile(int shard) => Path.Combine(Folder, $"assignments-{Index(shard)}.bin");

    public string ResolvedFile => Path.Combine(Folder, "resolved.json");

    /// <summary>Where task <paramref name="task"/> of the step <paramref name="stepFolder"/> that applies the splits writes its records of split <paramref name="split"/>.</summary>
    public static string PartFile(string stepFolder, string split, int task, int tasks) =>
        Path.Combine(stepFolder, $"split-{split}-{Index(task)}-of-{Index(tasks)}.jsonl");

    /// <summary>Starts writing shard <paramref name="shard"/>'s keys as they come, in its input order.</summary>
    public KeysWriter OpenKeys(int shard) => new(this, shard);

    /// <summary>
    /// The split step: every shard's keys, shard by shard, through <paramref name="resolver"/>; each shard's
    /// assignments, then the notes and the split files' record counts, last.
    /// </summary>
    /// <exception cref="CurationException">A shard's keys file is missing (its task has not completed) or cut short.</exception>
    public SplitResolution Resolve(SplitResolver resolver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        for (var shard = 0; shard < Shards; shard++)
        {
            if (!File.Exists(KeysFile(shard)))
            {
                throw new CurationException($"{DisplayPath.For(KeysFile(shard))}: missing: task {shard} has not completed its split keys");
            }
        }

        File.Delete(ResolvedFile);
        var counts = new long[Shards];
        for (var shard = 0; shard < Shards; shard++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = KeysFile(shard);
            var strata = new List<string>();
            try
            {
                using var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), Encoding.UTF8);
                while (reader.BaseStream.Position < reader.BaseStream.Length)
                {
                    var high = reader.ReadUInt64();
                    var group = new UInt128(high, reader.ReadUInt64());
                    var flags = reader.ReadByte();
                    var stratum = reader.Read7BitEncodedInt();
                    if (stratum == strata.Count)
                    {
                        strata.Add(reader.ReadString());
                    }
                    else if (stratum > strata.Count)
                    {
                        throw new CurationException($"{DisplayPath.For(path)}: stratum {stratum} before its name: remove it and rerun the step that wrote it");
                    }

                    resolver.Add(new SplitKey(group, strata[stratum], (flags & Representable) != 0));
                    counts[shard]++;
                }
            }
            catch (EndOfStreamException e)
            {
                throw new CurationException($"{DisplayPath.For(path)}: cut short: remove it and rerun the step that wrote it", e);
            }
        }

        var resolution = resolver.Resolve();
        var first = 0L;
        for (var shard = 0; shard < Shards; shard++)
        {
            var slice = resolution.RecordSplits.AsMemory(checked((int)first), checked((int)counts[shard]));
            AtomicFile.Write(AssignmentsFile(shard), stream => stream.Write(slice.Span));
            first += counts[shard];
        }

        AtomicFile.WriteAllText(ResolvedFile, JsonSerializer.Serialize(new Resolved(resolution.Notes, resolution.FileRecords), JsonOptions) + "\n");
        return resolution;
    }

    /// <summary>Shard <paramref name="shard"/>'s records' splits, in its input order.</summary>
    /// <exception cref="CurationException">The split step has not completed.</exception>
    public byte[] AssignmentsOf(int shard)
    {
        RequireResolved();
        return File.ReadAllBytes(AssignmentsFile(shard));
    }

    /// <summary>The split step's notes and the records each split file gets, in the order the config names the splits.</summary>
    /// <exception cref="CurationException">The split step has not completed, or its file cannot be read.</exception>
    public (IReadOnlyList<string> Notes, IReadOnlyList<long> FileRecords) LoadResolved()
    {
        RequireResolved();
        try
        {
            var resolved = JsonSerializer.Deserialize<Resolved>(File.ReadAllText(ResolvedFile), JsonOptions)
                ?? throw new CurationException($"{DisplayPath.For(ResolvedFile)}: empty");
            return (resolved.Notes, resolved.FileRecords);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new CurationException($"{DisplayPath.For(ResolvedFile)}: cannot be read: {e.Message}", e);
        }
    }

    private void RequireResolved()
    {
        if (!File.Exists(ResolvedFile))
        {
            throw new CurationException($"{DisplayPath.For(ResolvedFile)}: missing: the split step has not completed");
        }
    }

    private static string Index(int value) => value.ToString("D5", CultureInfo.InvariantCulture);

    private sealed record Resolved(IReadOnlyList<string> Notes, IReadOnlyList<long> FileRecords);

    /// <summary>One shard's keys as they come, in its input order, under a temporary name renamed into place by <see cref="Commit"/>.</summary>
    internal sealed class KeysWriter : IDisposable
    {
        private readonly string _path;
        private readonly BinaryWriter _writer;
        private readonly Dictionary<string, int> _strata = new(StringComparer.Ordinal);
        private bool _committed;

        public KeysWriter(SplitExchange exchange, int shard)
        {
            _path = exchange.KeysFile(shard);
            Directory.CreateDirectory(exchange.Folder);
            _writer = new BinaryWriter(new FileStream(_path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8);
        }

        public void Add(SplitKey key)
        {
            _writer.Write((ulong)(key.Group >> 64));
            _writer.Write((ulong)key.Group);
            _writer.Write(key.Representable ? Representable : (byte)0);
            if (_strata.TryGetValue(key.Stratum, out var stratum))
            {
                _writer.Write7BitEncodedInt(stratum);
                return;
            }

            _writer.Write7BitEncodedInt(_strata.Count);
            _writer.Write(key.Stratum);
            _strata.Add(key.Stratum, _strata.Count);
        }

        public void Commit()
        {
            _writer.Flush();
            _writer.Dispose();
            File.Move(_path + ".tmp", _path, overwrite: true);
            _committed = true;
        }

        public void Dispose()
        {
            if (_committed)
            {
                return;
            }

            _writer.Dispose();
            File.Delete(_path + ".tmp");
        }
    }
}
