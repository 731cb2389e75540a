using Curation.Core;
using Curation.Core.Files;

namespace Curation.Dedup.Near.Sharded;

/// <summary>What the cluster step decided for one document in a cluster of two or more: the cluster's size and, unless it is the kept member, the kept member and the similarity to it.</summary>
internal readonly record struct ClusterDecision(int Size, string? KeptId, string? KeptSource, double Jaccard)
{
    public bool IsKept => KeptId is null;
}

/// <summary>
/// The cluster step's decisions (<see cref="FingerprintExchange"/>), by document in input order: for one shard's
/// task, or for every shard in a gather step, whose sequences follow on from shard to shard. A document without a
/// decision is in no cluster. The step that applies them checks that its records are the documents the cluster step
/// numbered, shard by shard.
/// </summary>
internal sealed class ClusterDecisions
{
    private readonly Dictionary<int, ClusterDecision>[] _byShard;
    private readonly int[] _documents;
    private readonly int[] _seen;
    private readonly Func<long, int> _shardOf;

    private ClusterDecisions(Dictionary<int, ClusterDecision>[] byShard, int[] documents, Func<long, int> shardOf, IReadOnlyList<string> notes)
    {
        _byShard = byShard;
        _documents = documents;
        _seen = new int[documents.Length];
        _shardOf = shardOf;
        Notes = notes;
    }

    /// <summary>The cluster step's notes on the stage, as one process makes them.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Shard <paramref name="shard"/>'s decisions, for its task.</summary>
    /// <exception cref="CurationException">The cluster step has not completed, or its files are cut short.</exception>
    public static ClusterDecisions ForShard(FingerprintExchange exchange, int shard)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var (decisions, documents) = Read(exchange, shard);
        return new ClusterDecisions([decisions], [documents], _ => 0, ReadNotes(exchange));
    }

    /// <summary>Every shard's decisions, for a gather step reading the shards in order.</summary>
    public static ClusterDecisions ForAllShards(FingerprintExchange exchange, Func<long, int> shardOf)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var read = Enumerable.Range(0, exchange.Shards).Select(shard => Read(exchange, shard)).ToList();
        return new ClusterDecisions([.. read.Select(r => r.Decisions)], [.. read.Select(r => r.Documents)], shardOf, ReadNotes(exchange));
    }

    /// <summary>The decision for the next document of the shard of the envelope at <paramref name="sequence"/>, or null when it is in no cluster.</summary>
    /// <exception cref="CurationException">The shard has more documents here than the cluster step numbered.</exception>
    public ClusterDecision? Next(long sequence)
    {
        var shard = _shardOf(sequence);
        var document = _seen[shard]++;
        if (document >= _documents[shard])
        {
            throw Mismatch(shard);
        }

        return _byShard[shard].TryGetValue(document, out var decision) ? decision : null;
    }

    /// <exception cref="CurationException">A shard has fewer documents here than the cluster step numbered.</exception>
    public void CheckComplete()
    {
        for (var shard = 0; shard < _documents.Length; shard++)
        {
            if (_seen[shard] != _documents[shard])
            {
                throw Mismatch(shard);
            }
        }
    }

    private CurationException Mismatch(int shard) => new(
        $"near-dedup: the cluster step numbered {_documents[shard]} records of shard {shard} but {_seen[shard]} reach the stage here: the parts of the steps around it do not match; remove the work folder and run again");

    private static string[] ReadNotes(FingerprintExchange exchange) =>
        File.Exists(exchange.NotesFile) ? File.ReadAllLines(exchange.NotesFile) : throw Unresolved(exchange);

    private static CurationException Unresolved(FingerprintExchange exchange) =>
        new($"{DisplayPath.For(exchange.NotesFile)}: missing: the near-dedup cluster step has not completed");

    private static (Dictionary<int, ClusterDecision> Decisions, int Documents) Read(FingerprintExchange exchange, int shard)
    {
        var path = exchange.DecisionsFile(shard);
        if (!File.Exists(path))
        {
            throw Unresolved(exchange);
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            var documents = reader.ReadInt32();
            var decisions = new Dictionary<int, ClusterDecision>();
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                var document = reader.ReadInt32();
                var size = reader.ReadInt32();
                decisions[document] = reader.ReadBoolean()
                    ? new ClusterDecision(size, FingerprintExchange.ReadText(reader), FingerprintExchange.ReadText(reader), reader.ReadDouble())
                    : new ClusterDecision(size, null, null, 1.0);
            }

            return (decisions, documents);
        }
        catch (EndOfStreamException e)
        {
            throw new CurationException($"{DisplayPath.For(path)}: cut short: remove it and rerun the step that wrote it", e);
        }
    }

    /// <summary>Writes each shard's decisions, given document by document in order, then renames them into place.</summary>
    internal sealed class Writer : IDisposable
    {
        private readonly FingerprintExchange _exchange;
        private readonly BinaryWriter[] _writers;
        private bool _committed;

        public Writer(FingerprintExchange exchange, IReadOnlyList<int> documents)
        {
            _exchange = exchange;
            _writers = new BinaryWriter[exchange.Shards];
            Directory.CreateDirectory(exchange.Folder);
            try
            {
                for (var shard = 0; shard < exchange.Shards; shard++)
                {
                    _writers[shard] = FingerprintExchange.Create(exchange.DecisionsFile(shard));
                    _writers[shard].Write(documents[shard]);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public void Add(int shard, int document, ClusterDecision decision)
        {
            var writer = _writers[shard];
            writer.Write(document);
            writer.Write(decision.Size);
            writer.Write(!decision.IsKept);
            if (!decision.IsKept)
            {
                FingerprintExchange.WriteText(writer, decision.KeptId!);
                FingerprintExchange.WriteText(writer, decision.KeptSource!);
                writer.Write(decision.Jaccard);
            }
        }

        public void Commit()
        {
            foreach (var writer in _writers)
            {
                writer.Dispose();
            }

            for (var shard = 0; shard < _exchange.Shards; shard++)
            {
                FingerprintExchange.Commit(_exchange.DecisionsFile(shard));
            }

            _committed = true;
        }

        public void Dispose()
        {
            if (_committed)
            {
                return;
            }

            for (var shard = 0; shard < _writers.Length; shard++)
            {
                _writers[shard]?.Dispose();
                File.Delete(FingerprintExchange.Temporary(_exchange.DecisionsFile(shard)));
            }
        }
    }
}
