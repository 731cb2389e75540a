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
internal sealed class ExactDedupStage(ExactDedupOptions options, string name) : IStreamStage
{
    public const string DuplicateRule = "exact-duplicate";

    public string Name { get; } = name;

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var firstSeen = new FirstOccurrenceTable();
        var keyName = options.Key.ToString().ToLowerInvariant();
        // Hashes are computed on the run's workers (never a blocking Parallel.For, which starves the other stages of
        // pool threads); the first-seen check runs in input order.
        await OrderedParallel.MapAsync(
            input,
            batch =>
            {
                var hashes = new UInt128?[batch.Length];
                for (var i = 0; i < batch.Length; i++)
                {
                    hashes[i] = batch[i].Record is { } record ? ContentHasher.Hash(record, options.Key, options.Fields) : null;
                }

                return (Batch: batch, Hashes: hashes);
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
                        var detail = $"same {keyName} as {kept}";
                        result[i] = Envelope.Rejected(envelope.Sequence, new Reject(Name, DuplicateRule, detail, record.Source) { Record = record });
                    }
                    else
                    {
                        firstSeen.Add(hash, $"{record.Id} ({record.Source})");
                    }
                }

                return output.WriteAsync(result, ct);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
