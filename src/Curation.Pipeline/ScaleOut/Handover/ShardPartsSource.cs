using System.Runtime.CompilerServices;
using System.Text;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;

namespace Curation.Pipeline.ScaleOut.Handover;

/// <summary>
/// Feeds the envelopes earlier steps handed on: one shard's part to a task, or every shard's part, in shard order, to
/// a gather step. Sequences are made to follow on from shard to shard (shard 1's first after shard 0's last), as one
/// process numbers its input; <see cref="ShardOf"/> maps them back.
/// </summary>
internal sealed class ShardPartsSource : IEnvelopeSource
{
    private readonly IReadOnlyList<string> _parts;
    private readonly long[] _firstSequence;
    private long _bytesRead;

    /// <param name="parts">The parts in shard order.</param>
    /// <exception cref="CurationException">A part is missing: the step that writes it has not completed.</exception>
    public ShardPartsSource(IReadOnlyList<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        _parts = parts;
        _firstSequence = new long[parts.Count];
        foreach (var part in parts)
        {
            if (!File.Exists(part))
            {
                throw new CurationException($"{DisplayPath.For(part)}: missing: the step that writes it has not completed");
            }
        }

        TotalBytes = parts.Sum(part => new FileInfo(part).Length);
    }

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long TotalBytes { get; }

    /// <summary>The shard (index into the parts) of an envelope this source gave, and its sequence in that shard's part.</summary>
    public (int Shard, long Sequence) ShardOf(long sequence)
    {
        var shard = Array.BinarySearch(_firstSequence, sequence);
        if (shard < 0)
        {
            shard = ~shard - 1;
        }

        // Shards that handed on nothing share their first sequence with the next: the last of equals is the owner.
        while (shard + 1 < _firstSequence.Length && _firstSequence[shard + 1] <= sequence)
        {
            shard++;
        }

        return (shard, sequence - _firstSequence[shard]);
    }

    public async IAsyncEnumerable<Envelope[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long next = 0;
        for (var shard = 0; shard < _parts.Count; shard++)
        {
            _firstSequence[shard] = next;
            for (var later = shard + 1; later < _parts.Count; later++)
            {
                _firstSequence[later] = long.MaxValue;
            }

            long last = -1;
            await foreach (var batch in Read(_parts[shard], cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    var envelope = batch[i];
                    if (envelope.Sequence <= last)
                    {
                        throw new CurationException($"{DisplayPath.For(_parts[shard])}: envelopes out of order ({last} then {envelope.Sequence}): remove it and rerun the step that wrote it");
                    }

                    last = envelope.Sequence;
                    batch[i] = envelope with { Sequence = _firstSequence[shard] + envelope.Sequence };
                }

                yield return batch;
            }

            next = _firstSequence[shard] + last + 1;
        }
    }

    private async IAsyncEnumerable<Envelope[]> Read(string part, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var file = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = file.Position;
            Envelope[]? batch;
            try
            {
                batch = ReadBatch(reader);
            }
            catch (EndOfStreamException e)
            {
                throw new CurationException($"{DisplayPath.For(part)}: cut short: remove it and rerun the step that wrote it", e);
            }

            if (batch is null)
            {
                yield break;
            }

            Interlocked.Add(ref _bytesRead, file.Position - before);
            yield return batch;
            await Task.Yield();
        }
    }

    private static Envelope[]? ReadBatch(BinaryReader reader)
    {
        if (reader.BaseStream.Position >= reader.BaseStream.Length)
        {
            return null;
        }

        var batch = new Envelope[reader.ReadInt32()];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = EnvelopeCodec.Read(reader);
        }

        return batch;
    }
}
