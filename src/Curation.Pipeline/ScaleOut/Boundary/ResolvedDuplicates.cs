using System.Threading.Channels;
using Curation.Core;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Pipeline.ScaleOut.Boundary;

/// <summary>
/// The later occurrences a resolve step found (<see cref="KeyExchange"/>), looked up by sequence: for one shard's
/// task, or for every shard in a gather step, whose sequences follow on from shard to shard.
/// </summary>
internal sealed class ResolvedDuplicates
{
    private readonly Dictionary<long, string>[] _byShard;
    private readonly Func<long, (int Shard, long Sequence)> _shardOf;

    private ResolvedDuplicates(Dictionary<long, string>[] byShard, Func<long, (int Shard, long Sequence)> shardOf)
    {
        _byShard = byShard;
        _shardOf = shardOf;
        Count = byShard.Sum(shard => (long)shard.Count);
    }

    /// <summary>How many later occurrences were resolved: the step must find every one of them.</summary>
    public long Count { get; }

    /// <summary>Shard <paramref name="shard"/>'s later occurrences, for its task.</summary>
    public static ResolvedDuplicates ForShard(KeyExchange exchange, int shard) =>
        new([Index(exchange, shard)], sequence => (0, sequence));

    /// <summary>Every shard's later occurrences, for a gather step reading the shards in order.</summary>
    public static ResolvedDuplicates ForAllShards(KeyExchange exchange, Func<long, (int Shard, long Sequence)> shardOf) =>
        new([.. Enumerable.Range(0, exchange.Shards).Select(shard => Index(exchange, shard))], shardOf);

    /// <summary>The label of the first occurrence when the envelope at <paramref name="sequence"/> is a later one, else null.</summary>
    public string? FirstLabelOf(long sequence)
    {
        var (shard, local) = _shardOf(sequence);
        return _byShard[shard].GetValueOrDefault(local);
    }

    private static Dictionary<long, string> Index(KeyExchange exchange, int shard) =>
        exchange.DuplicatesOf(shard).ToDictionary(duplicate => duplicate.Sequence, duplicate => duplicate.FirstLabel);
}

/// <summary>
/// A first-occurrence stage (exact-dedup) in the step after its resolve step: rejects each later occurrence the
/// resolve step found, as the stage itself would have in one process, under the stage's name, so its counts and
/// rejects are the single-process ones.
/// </summary>
internal sealed class ResolvedDuplicatesStage(IFirstOccurrenceStage stage, ResolvedDuplicates duplicates) : IStreamStage
{
    public string Name => stage.Name;

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        long applied = 0;
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = batch;
            for (var i = 0; i < batch.Length; i++)
            {
                if (batch[i].Record is { } record && duplicates.FirstLabelOf(batch[i].Sequence) is { } first)
                {
                    result = result == batch ? (Envelope[])batch.Clone() : result;
                    result[i] = Envelope.Rejected(batch[i].Sequence, stage.LaterOccurrence(record, first));
                    applied++;
                }
            }

            await output.WriteAsync(result, cancellationToken).ConfigureAwait(false);
        }

        if (applied != duplicates.Count)
        {
            throw new CurationException(
                $"stage '{Name}': its resolve step found {duplicates.Count} later occurrences but {applied} of them are records here: the parts of the steps around it do not match; remove the work folder and run again");
        }
    }
}

/// <summary>Hands a step's envelopes on and writes the keys of the records it keeps for the first-occurrence stage after it, in input order.</summary>
internal sealed class KeyWritingSink(Core.Runtime.IEnvelopeSink inner, IFirstOccurrenceStage stage, KeyExchange.KeysWriter keys) : Core.Runtime.IEnvelopeSink
{
    public ValueTask WriteAsync(Envelope[] batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var envelope in batch)
        {
            if (envelope.Record is { } record && stage.KeyOf(record) is { } key)
            {
                keys.Add(new KeyOccurrence(key, envelope.Sequence, stage.LabelOf(record)));
            }
        }

        return inner.WriteAsync(batch, cancellationToken);
    }
}
