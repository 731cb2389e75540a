using System.Threading.Channels;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Dedup.Near;
using Curation.Dedup.Near.Sharded;

namespace Curation.Pipeline.ScaleOut.Boundary;

/// <summary>
/// Hands a step's envelopes on and writes, for the near-dedup cluster step after it, the fingerprint of every record it
/// keeps, in input order. Records are fingerprinted by the stage's own code on the step's workers while the step
/// goes on (a bounded queue of batches, so a slow signer slows the step rather than filling memory); the fingerprints
/// are complete once <see cref="CompleteAsync"/> has returned.
/// </summary>
internal sealed class FingerprintWritingSink : IEnvelopeSink, IAsyncDisposable
{
    private readonly IEnvelopeSink _inner;
    private readonly Channel<Envelope[]> _batches;
    private readonly Task _signing;

    public FingerprintWritingSink(IEnvelopeSink inner, NearDedupStage stage, ShardFingerprintWriter writer, int workers, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(time);
        _inner = inner;
        _batches = Channel.CreateBounded<Envelope[]>(new BoundedChannelOptions(Math.Max(2, 2 * workers)) { SingleReader = true, SingleWriter = true });
        _signing = Task.Run(
            () => OrderedParallel.MapAsync(
                _batches.Reader,
                batch =>
                {
                    var started = time.GetTimestamp();
                    var fingerprints = stage.Fingerprint(batch);
                    return (Batch: batch, Fingerprints: fingerprints, Elapsed: time.GetElapsedTime(started));
                },
                Math.Max(1, workers),
                (signed, _) =>
                {
                    using (signed.Fingerprints)
                    {
                        writer.Add(signed.Batch, signed.Fingerprints, signed.Elapsed);
                    }

                    return ValueTask.CompletedTask;
                },
                cancellationToken),
            cancellationToken);

        // A failed signer must not leave the step waiting on a full queue.
        _signing.ContinueWith(signing => _batches.Writer.TryComplete(signing.Exception), TaskScheduler.Default);
    }

    public async ValueTask WriteAsync(Envelope[] batch, CancellationToken cancellationToken)
    {
        await _batches.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        await _inner.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until every batch written so far is fingerprinted and added to the writer.</summary>
    public Task CompleteAsync()
    {
        _batches.Writer.TryComplete();
        return _signing;
    }

    public async ValueTask DisposeAsync()
    {
        _batches.Writer.TryComplete();
        try
        {
            await _signing.ConfigureAwait(false);
        }
        catch (Exception) when (_signing.IsFaulted || _signing.IsCanceled)
        {
            // The step has failed already or reports this failure from CompleteAsync.
        }
    }
}
