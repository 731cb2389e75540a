using System.Runtime.InteropServices;
using Curation.Core.Files;
using Microsoft.Win32.SafeHandles;

namespace Curation.Dedup.MinHash;

/// <summary>
/// LSH buckets: documents whose keys (see <see cref="BandHasher"/>) are equal in some band are candidates. Keys are
/// buffered in memory; when the buffer reaches the memory budget, each band's keys are sorted and written to disk as
/// a run, and <see cref="StreamCandidatePairs"/> merges the runs band by band, so the index holds any number of documents
/// in a fixed amount of memory.
/// </summary>
/// <remarks>
/// Memory per buffered document: 4 bytes for its index plus 8 per band, and 12 more while a band is sorted. Without a
/// budget nothing is written to disk.
/// </remarks>
public sealed class LshIndex : IDisposable
{
    /// <summary>Buckets up to this size yield every pair of their members; larger ones a star and a chain.</summary>
    public const int AllPairsBucketLimit = 128;

    private const int EntryBytes = sizeof(ulong) + sizeof(int);

    private readonly long _bufferCapacity;
    // Chunked, so the buffer grows without copies: a doubling list left its old arrays, half the budget, as garbage.
    private readonly ChunkedList<int> _documents = new();
    private readonly ChunkedList<ulong>[] _keys;
    private readonly List<BandRunFile> _runs = [];
    private ulong[] _sortKeys = [];
    private int[] _sortDocuments = [];

    /// <param name="bands">Keys per document.</param>
    /// <param name="memoryBudget">Bytes the key buffer may use before it is sorted and written to disk; null: no limit.</param>
    /// <param name="spillDirectory">Where runs go; default: the temporary folder.</param>
    public LshIndex(int bands, long? memoryBudget = null, string? spillDirectory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        _keys = new ChunkedList<ulong>[bands];
        for (var band = 0; band < bands; band++)
        {
            _keys[band] = new();
        }

        if (memoryBudget is { } budget)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
            _bufferCapacity = Math.Max(1, Math.Min(Array.MaxLength, budget / BufferedBytesPerDocument(bands)));
        }
        else
        {
            _bufferCapacity = long.MaxValue;
        }

        SpillDirectory = spillDirectory ?? Path.GetTempPath();
    }

    public int Bands => _keys.Length;

    /// <summary>Documents added so far.</summary>
    public int Count { get; private set; }

    /// <summary>Sorted runs written to disk so far.</summary>
    public int SpilledRuns => _runs.Count;

    /// <summary>Bytes of the runs on disk.</summary>
    public long SpilledBytes => _runs.Sum(run => run.Length);

    public string SpillDirectory { get; }

    /// <summary>Memory one buffered document costs, including the scratch space of sorting one band.</summary>
    public static long BufferedBytesPerDocument(int bands) => sizeof(int) + (bands * (long)sizeof(ulong)) + EntryBytes;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="document"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="bandKeys"/> does not hold one key per band.</exception>
    public void Add(int document, ReadOnlySpan<ulong> bandKeys)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(document);
        if (bandKeys.Length != Bands)
        {
            throw new ArgumentException($"needs {Bands} band keys, has {bandKeys.Length}", nameof(bandKeys));
        }

        _documents.Add(document);
        for (var band = 0; band < Bands; band++)
        {
            _keys[band].Add(bandKeys[band]);
        }

        Count++;
        if (_documents.Count >= _bufferCapacity)
        {
            Spill();
        }
    }

    /// <summary>
    /// Pairs of distinct documents that share a bucket, band by band, as they are found: a pair found in several bands
    /// comes once per band; memory stays at one bucket. A bucket of up to <see cref="AllPairsBucketLimit"/> documents
    /// yields all its pairs. A larger one (a template filled in thousands of times) would yield millions, so it yields
    /// each member paired with the bucket's first member and with the member before it, in document order: pairs
    /// grow linearly with the bucket, and union-find over them still joins the members that are duplicates of each
    /// other through those that are.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <param name="onBand">Called with each band's index as its merge starts, for progress.</param>
    public IEnumerable<CandidatePair> StreamCandidatePairs(Action<int>? onBand = null, CancellationToken cancellationToken = default)
    {
        var keys = new ulong[_documents.Count];
        var documents = new int[_documents.Count];
        return CandidatePairsOf(Enumerable.Range(0, Bands), band => OpenBand(band, keys, documents), onBand, cancellationToken);
    }

    /// <summary>
    /// The candidate pairs of <see cref="StreamCandidatePairs"/> from bands kept
    /// elsewhere: <paramref name="openBand"/> gives each band's (key, document) entries in key order, so that an
    /// index cut into pieces (a sharded run's tasks) yields the buckets, and so the pairs, of one index. Only
    /// <paramref name="bands"/> are merged, in that order: a task that takes some of the bands finds their pairs.
    /// </summary>
    internal static IEnumerable<CandidatePair> CandidatePairsOf(IEnumerable<int> bands, Func<int, IBandCursor> openBand, Action<int>? onBand, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bands);
        ArgumentNullException.ThrowIfNull(openBand);
        var bucket = new List<int>();
        var pairs = new List<ulong>();
        foreach (var band in bands)
        {
            onBand?.Invoke(band);
            using var merged = openBand(band);
            var open = merged.MoveNext();
            while (open)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var key = merged.Key;
                bucket.Clear();
                do
                {
                    bucket.Add(merged.Document);
                    open = merged.MoveNext();
                }
                while (open && merged.Key == key);

                pairs.Clear();
                AddBucketPairs(bucket, pairs);
                foreach (var pair in pairs)
                {
                    yield return new CandidatePair((int)(pair >> 32), (int)(uint)pair);
                }
            }
        }
    }

    /// <summary>Band <paramref name="band"/>'s (key, document) entries in key order, from the buffer and every run.</summary>
    internal IBandCursor OpenSortedBand(int band) => OpenBand(band, new ulong[_documents.Count], new int[_documents.Count]);

    /// <summary>Merges cursors that are each in key order into one in key order; equal keys come in cursor order.</summary>
    internal static IBandCursor Merge(List<IBandCursor> sources) => new BandMerge(sources);

    /// <summary>
    /// The pairs of <see cref="StreamCandidatePairs"/>, each once, ordered by (<see cref="CandidatePair.First"/>,
    /// <see cref="CandidatePair.Second"/>): 8 bytes per distinct pair, for indexes small enough to list them all.
    /// </summary>
    public IReadOnlyList<CandidatePair> CandidatePairs(CancellationToken cancellationToken = default)
    {
        var packed = StreamCandidatePairs(cancellationToken: cancellationToken).Select(pair => ((ulong)pair.First << 32) | (uint)pair.Second).ToArray();
        Array.Sort(packed);
        var result = new List<CandidatePair>(packed.Length);
        for (var i = 0; i < packed.Length; i++)
        {
            if (i == 0 || packed[i] != packed[i - 1])
            {
                result.Add(new CandidatePair((int)(packed[i] >> 32), (int)(uint)packed[i]));
            }
        }

        return result;
    }

    /// <summary>Deletes the runs and lets the key buffer go (up to the memory budget), so a stage can free it as soon as it has clustered.</summary>
    public void Dispose()
    {
        foreach (var run in _runs)
        {
            run.Dispose();
        }

        _runs.Clear();
        _documents.Release();
        foreach (var keys in _keys)
        {
            keys.Release();
        }

        _sortKeys = [];
        _sortDocuments = [];
    }

    private void Spill()
    {
        // One band at a time is copied out and sorted; the scratch arrays serve every spill.
        if (_sortKeys.Length < _documents.Count)
        {
            _sortKeys = new ulong[_documents.Count];
            _sortDocuments = new int[_documents.Count];
        }

        var keys = _sortKeys.AsSpan(0, _documents.Count);
        var documents = _sortDocuments.AsSpan(0, _documents.Count);
        var run = BandRunFile.Create(SpillDirectory);
        try
        {
            for (var band = 0; band < Bands; band++)
            {
                BandEntrySorter.Sort(_keys[band], _documents, keys, documents);
                run.WriteBand(keys, documents);
                _keys[band].Clear();
            }

        }
        catch
        {
            run.Dispose();
            throw;
        }

        _runs.Add(run);
        _documents.Clear();
    }

    /// <summary>The band's (key, document) entries in key order: a sorted copy of the buffer, merged with every run.</summary>
    private BandMerge OpenBand(int band, ulong[] keys, int[] documents)
    {
        BandEntrySorter.Sort(_keys[band], _documents, keys, documents);
        var sources = new List<IBandCursor> { new MemoryCursor(keys, documents) };
        foreach (var run in _runs)
        {
            sources.Add(run.OpenBand(band));
        }

        return new BandMerge(sources);
    }

    // A pair packs into one ulong, smaller index high, so sorting the ulongs orders the pairs.
    private static void AddBucketPairs(List<int> members, List<ulong> pairs)
    {
        if (members.Count < 2)
        {
            return;
        }

        var bucket = CollectionsMarshal.AsSpan(members);
        if (bucket.Length <= AllPairsBucketLimit)
        {
            for (var i = 0; i < bucket.Length; i++)
            {
                for (var j = i + 1; j < bucket.Length; j++)
                {
                    AddPair(bucket[i], bucket[j], pairs);
                }
            }

            return;
        }

        // The order of equal keys depends on how the buffer was spilled; document order does not.
        bucket.Sort();
        for (var i = 1; i < bucket.Length; i++)
        {
            AddPair(bucket[0], bucket[i], pairs);
            if (i > 1)
            {
                AddPair(bucket[i - 1], bucket[i], pairs);
            }
        }
    }

    private static void AddPair(int a, int b, List<ulong> pairs)
    {
        if (a != b)
        {
            var (first, second) = a < b ? (a, b) : (b, a);
            pairs.Add(((ulong)first << 32) | (uint)second);
        }
    }

    /// <summary>(key, document) entries of one band, in key order.</summary>
    internal interface IBandCursor : IDisposable
    {
        ulong Key { get; }

        int Document { get; }

        bool MoveNext();
    }

    private sealed class MemoryCursor(ulong[] keys, int[] documents) : IBandCursor
    {
        private int _position = -1;

        public ulong Key => keys[_position];

        public int Document => documents[_position];

        public bool MoveNext() => ++_position < keys.Length;

        public void Dispose()
        {
        }
    }

    /// <summary>k-way merge of sorted cursors; equal keys come out in source order (buffer first, then runs).</summary>
    private sealed class BandMerge : IBandCursor
    {
        private readonly List<IBandCursor> _sources;
        private readonly PriorityQueue<int, (ulong Key, int Source)> _heads = new();
        private bool _started;

        public BandMerge(List<IBandCursor> sources)
        {
            _sources = sources;
        }

        public ulong Key { get; private set; }

        public int Document { get; private set; }

        public bool MoveNext()
        {
            if (_sources.Count == 1)
            {
                if (!_sources[0].MoveNext())
                {
                    return false;
                }

                (Key, Document) = (_sources[0].Key, _sources[0].Document);
                return true;
            }

            if (!_started)
            {
                _started = true;
                for (var source = 0; source < _sources.Count; source++)
                {
                    Advance(source);
                }
            }
            else if (_heads.Count == 0)
            {
                return false;
            }

            if (!_heads.TryDequeue(out var next, out var head))
            {
                return false;
            }

            Key = head.Key;
            Document = _sources[next].Document;
            Advance(next);
            return true;
        }

        public void Dispose()
        {
            foreach (var source in _sources)
            {
                source.Dispose();
            }
        }

        private void Advance(int source)
        {
            if (_sources[source].MoveNext())
            {
                _heads.Enqueue(source, (_sources[source].Key, source));
            }
        }
    }

    /// <summary>One spill: for each band, its (key, document) entries sorted by key, 12 bytes each. Deleted on dispose.</summary>
    private sealed class BandRunFile : IDisposable
    {
        private const int ChunkEntries = 8192;

        private readonly string _directory;
        private readonly SafeFileHandle _file;
        private readonly List<(long Offset, long Entries)> _bands = [];

        private BandRunFile(string directory)
        {
            _directory = directory;
            _file = ScratchFile.OpenHandle("lsh-run", directory);
        }

        public long Length { get; private set; }

        public static BandRunFile Create(string directory)
        {
            return new BandRunFile(directory);
        }

        public void WriteBand(ReadOnlySpan<ulong> keys, ReadOnlySpan<int> documents)
        {
            _bands.Add((Length, keys.Length));
            var chunk = new byte[ChunkEntries * EntryBytes];
            for (var start = 0; start < keys.Length; start += ChunkEntries)
            {
                var count = Math.Min(ChunkEntries, keys.Length - start);
                for (var i = 0; i < count; i++)
                {
                    MemoryMarshal.Write(chunk.AsSpan(i * EntryBytes), keys[start + i]);
                    MemoryMarshal.Write(chunk.AsSpan((i * EntryBytes) + sizeof(ulong)), documents[start + i]);
                }

                try
                {
                    PageCacheWrites.Write(_file, chunk.AsSpan(0, count * EntryBytes), Length);
                }
                catch (IOException ex) when (ScratchFile.Fault(ex, _directory) is { } fault)
                {
                    throw fault;
                }

                Length += count * EntryBytes;
            }
        }

        public FileCursor OpenBand(int band) => new FileCursor(_file, _bands[band].Offset, _bands[band].Entries);

        public void Dispose()
        {
            _file.Dispose();
        }
    }

    /// <summary>Reads one band of a run in chunks; any number of cursors may read one file at once.</summary>
    private sealed class FileCursor(SafeFileHandle file, long offset, long entries) : IBandCursor
    {
        private readonly byte[] _buffer = new byte[EntryBytes * 8192];
        private long _offset = offset;
        private long _remaining = entries;
        private int _filled;
        private int _position;

        public ulong Key { get; private set; }

        public int Document { get; private set; }

        public bool MoveNext()
        {
            if (_position == _filled)
            {
                if (_remaining == 0)
                {
                    return false;
                }

                var count = (int)Math.Min(_remaining, _buffer.Length / EntryBytes);
                _filled = count * EntryBytes;
                for (var read = 0; read < _filled;)
                {
                    var bytes = RandomAccess.Read(file, _buffer.AsSpan(read, _filled - read), _offset + read);
                    read += bytes > 0 ? bytes : throw new EndOfStreamException("an LSH run file was cut short while it was read");
                }

                _offset += _filled;
                _remaining -= count;
                _position = 0;
            }

            Key = MemoryMarshal.Read<ulong>(_buffer.AsSpan(_position));
            Document = MemoryMarshal.Read<int>(_buffer.AsSpan(_position + sizeof(ulong)));
            _position += EntryBytes;
            return true;
        }

        public void Dispose()
        {
        }
    }
}
