using Curation.Core.Records;
using Curation.Core.Runtime;

namespace Curation.Pipeline.ScaleOut.Handover;

/// <summary>
/// A gather step's output: each envelope goes back to the shard it came from (<see cref="ShardPartsSource.ShardOf"/>),
/// with its sequence in that shard, so that the next step's tasks go on shard by shard. Every shard gets a part, empty
/// or not.
/// </summary>
internal sealed class ShardPartsSink(ShardPartsSource source, IReadOnlyList<string> parts) : IEnvelopeSink, IDisposable
{
    private readonly EnvelopePartWriter[] _writers = [.. parts.Select(part => new EnvelopePartWriter(part))];

    public ValueTask WriteAsync(Envelope[] batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var start = 0;
        while (start < batch.Length)
        {
            var (shard, _) = source.ShardOf(batch[start].Sequence);
            var end = start + 1;
            while (end < batch.Length && source.ShardOf(batch[end].Sequence).Shard == shard)
            {
                end++;
            }

            var local = new Envelope[end - start];
            for (var i = start; i < end; i++)
            {
                local[i - start] = batch[i] with { Sequence = source.ShardOf(batch[i].Sequence).Sequence };
            }

            _writers[shard].Write(local);
            start = end;
        }

        return ValueTask.CompletedTask;
    }

    public void Commit()
    {
        foreach (var writer in _writers)
        {
            writer.Commit();
        }
    }

    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer.Dispose();
        }
    }
}
