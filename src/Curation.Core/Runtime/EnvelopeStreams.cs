using Curation.Core.Records;

namespace Curation.Core.Runtime;

/// <summary>Envelopes an earlier step of a sharded run handed on, fed to a runner in place of reading and decoding input.</summary>
internal interface IEnvelopeSource
{
    /// <summary>Batches in input order, sequences increasing; rejects of earlier steps ride along.</summary>
    IAsyncEnumerable<Envelope[]> ReadAsync(CancellationToken cancellationToken);

    long BytesRead { get; }

    long TotalBytes { get; }
}

/// <summary>Where a runner whose envelopes go on to a later step writes them, kept and rejected alike, in input order.</summary>
internal interface IEnvelopeSink
{
    /// <summary>Takes one batch; the sink's owner finishes it once the run has completed.</summary>
    ValueTask WriteAsync(Envelope[] batch, CancellationToken cancellationToken);
}
