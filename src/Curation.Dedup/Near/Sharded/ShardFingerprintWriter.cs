using System.Runtime.InteropServices;
using Curation.Core.Records;
using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near.Sharded;

/// <summary>
/// One task's fingerprints for the cluster step (<see cref="FingerprintExchange"/>), written as its records come, in
/// input order: shingle sets, labels and ranking facts straight to their files; band keys into an LSH index (within
/// the stage's memory budget, spilled as sorted runs beyond it), written sorted per band by <see cref="Commit"/>.
/// </summary>
internal sealed class ShardFingerprintWriter : IDisposable
{
    private readonly FingerprintExchange _exchange;
    private readonly int _shard;
    private readonly BinaryWriter _shingles;
    private readonly BinaryWriter _documents;
    private readonly BinaryWriter _labels;
    private readonly LshIndex _index;
    private long _previous = long.MinValue;
    private TimeSpan _signing;
    private uint[] _compared = [];
    private bool _committed;

    public ShardFingerprintWriter(FingerprintExchange exchange, int shard, long? memoryBudget)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        _exchange = exchange;
        _shard = shard;
        Directory.CreateDirectory(exchange.ShardFolder(shard));
        File.Delete(exchange.FingerprintedMarker(shard));
        _index = new LshIndex(exchange.Bands, memoryBudget);
        _shingles = FingerprintExchange.Create(exchange.ShinglesFile(shard));
        _documents = FingerprintExchange.Create(exchange.DocumentsFile(shard));
        _labels = FingerprintExchange.Create(exchange.LabelsFile(shard));
    }

    public int Count { get; private set; }

    /// <summary>Adds the fingerprinted records of a batch (every record in it; rejects have none), in input order.</summary>
    public void Add(Envelope[] batch, FingerprintBatch fingerprints, TimeSpan signing)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(fingerprints);
        _signing += signing;
        for (var i = 0; i < batch.Length; i++)
        {
            if (batch[i].Record is not { } record)
            {
                continue;
            }

            if (batch[i].Sequence <= _previous)
            {
                throw new ArgumentException($"records must come in input order: sequence {batch[i].Sequence} after {_previous}", nameof(batch));
            }

            _previous = batch[i].Sequence;
            var shingles = fingerprints.Shingles(i);
            if (_compared.Length < shingles.Length)
            {
                _compared = new uint[Math.Max(shingles.Length, 2 * _compared.Length)];
            }

            var compared = _compared.AsSpan(0, ComparedShingles.Write(shingles, _compared));
            _shingles.Write(MemoryMarshal.AsBytes(compared));
            _documents.Write(batch[i].Sequence);
            _documents.Write(_labels.BaseStream.Position);
            _documents.Write(compared.Length);
            _documents.Write(fingerprints.ContentLength(i));
            _documents.Write(fingerprints.Rank(i) ?? double.NaN);
            FingerprintExchange.WriteText(_labels, record.Id);
            FingerprintExchange.WriteText(_labels, record.Source.ToString());
            _index.Add(Count, fingerprints.BandKeys(i));
            Count++;
        }
    }

    /// <summary>Writes each partition's bands, sorted, then renames every file into place and writes the marker last.</summary>
    public void Commit()
    {
        foreach (var writer in new[] { _shingles, _documents, _labels })
        {
            writer.Dispose();
        }

        var entry = new byte[FingerprintExchange.EntryBytes];
        for (var partition = 0; partition < _exchange.Partitions; partition++)
        {
            var path = _exchange.BandsFile(partition, _shard);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var bands = FingerprintExchange.Create(path))
            {
                bands.Write((long)Count);
                for (var band = partition; band < _exchange.Bands; band += _exchange.Partitions)
                {
                    using var sorted = _index.OpenSortedBand(band);
                    while (sorted.MoveNext())
                    {
                        MemoryMarshal.Write(entry, sorted.Key);
                        MemoryMarshal.Write(entry.AsSpan(sizeof(ulong)), sorted.Document);
                        bands.Write(entry);
                    }
                }
            }

            FingerprintExchange.Commit(path);
        }

        foreach (var path in new[] { _exchange.ShinglesFile(_shard), _exchange.DocumentsFile(_shard), _exchange.LabelsFile(_shard) })
        {
            FingerprintExchange.Commit(path);
        }

        FingerprintExchange.WriteSummary(_exchange.FingerprintedMarker(_shard), new ShardSummary(Count, _signing.TotalSeconds, _index.SpilledRuns, _index.SpilledBytes));
        _committed = true;
        _index.Dispose();
    }

    public void Dispose()
    {
        _index.Dispose();
        if (_committed)
        {
            return;
        }

        foreach (var writer in new[] { _shingles, _documents, _labels })
        {
            writer.Dispose();
        }

        foreach (var path in new[] { _exchange.ShinglesFile(_shard), _exchange.DocumentsFile(_shard), _exchange.LabelsFile(_shard) })
        {
            File.Delete(FingerprintExchange.Temporary(path));
        }

        for (var partition = 0; partition < _exchange.Partitions; partition++)
        {
            File.Delete(FingerprintExchange.Temporary(_exchange.BandsFile(partition, _shard)));
        }
    }
}
