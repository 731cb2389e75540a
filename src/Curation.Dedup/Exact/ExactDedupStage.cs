using System.Threading.Channels;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;

namespace Curation.Dedup.Exact;

/// <summary>
/// Drops every record whose key (see <see cref="DedupKey"/>) was already seen, keeping the first in input order.
/// One pass, in order. In memory: 19 to 28 bytes per distinct key (see <see cref="FirstOccurrenceTable"/>); the
/// kept record's id and source go to a temporary file, read back only to name it in a duplicate's reject. A record
/// with nothing under the key (no response, a missing field) is kept: it duplicates nothing.
/// </summary>
internal sealed class ExactDedupStage(ExactDedupOptions options, string name) : IFirstOccurrenceStage
{
    // Room for an id and a source on the stack; a longer label is made as a string.
    private const int LabelBufferChars = 512;

    private readonly string _keyName = options.Key.ToString().ToLowerInvariant();

    public const string DuplicateRule = "exact-duplicate";

    public string Name { get; } = name;

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var firstSeen = new FirstOccurrenceTable();
        // Hashes are computed on the run's workers (never a blocking Parallel.For, which starves the other stages of
        // pool threads); the first-seen check runs in input order.
        await OrderedParallel.MapAsync(
            input,
            batch =>
            {
                var hashes = new UInt128?[batch.Length];
                for (var i = 0; i < batch.Length; i++)
                {
                    hashes[i] = batch[i].Record is { } record ? KeyOf(record) : null;
                }

                return new HashedBatch(batch, hashes);
            },
            context.Workers,
            (hashed, ct) =>
            {
                var batch = hashed.Batch;
                var result = new Envelope[batch.Length];
                for (var i = 0; i < batch.Length; i++)
                {
                    var envelope = batch[i];
                    result[i] = envelope;
                    if (envelope.Record is not { } record || hashed.Hashes[i] is not { } hash)
                    {
                        continue;
                    }

                    if (firstSeen.TryGetFirst(hash, out var kept))
                    {
                        result[i] = Envelope.Rejected(envelope.Sequence, LaterOccurrence(record, kept));
                    }
                    else
                    {
                        AddFirst(firstSeen, hash, record);
                    }
                }

                return output.WriteAsync(result, ct);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public UInt128? KeyOf(ChatRecord record) => ContentHasher.Hash(record, options.Key, options.Fields);

    public string LabelOf(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"{record.Id} ({record.Source})";
    }

    /// <summary>Stores the first occurrence's label (<see cref="LabelOf"/>) as written to a buffer, not as a string per kept record.</summary>
    private void AddFirst(FirstOccurrenceTable firstSeen, UInt128 hash, ChatRecord record)
    {
        Span<char> label = stackalloc char[LabelBufferChars];
        if (label.TryWrite($"{record.Id} ({record.Source})", out var written))
        {
            firstSeen.Add(hash, label[..written]);
        }
        else
        {
            firstSeen.Add(hash, LabelOf(record));
        }
    }

    public Reject LaterOccurrence(ChatRecord record, string firstLabel)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Reject(Name, DuplicateRule, $"same {_keyName} as {firstLabel}", record.Source) { Record = record };
    }

    /// <summary>
    /// A batch with each record's key hash. A class, not a tuple: the ordered map then shares the compiled body of the
    /// other stages' (see <see cref="OrderedParallel"/>) instead of compiling one at start-up.
    /// </summary>
    private sealed record HashedBatch(Envelope[] Batch, UInt128?[] Hashes);
}
