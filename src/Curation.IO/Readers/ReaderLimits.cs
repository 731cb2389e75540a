namespace Curation.IO.Readers;

/// <summary>Batch and buffer sizes shared by the readers.</summary>
internal static class ReaderLimits
{
    /// <summary>
    /// A batch closes at this many items... Small batches keep the records in flight between stages (channel
    /// capacity × stages × batch) small, and every collection copies the records in flight into an older generation,
    /// so its pause grows with them. Measured (benchmarks/README.md): 64 KB batches against 256 KB cut the sample's
    /// stage list on 256 MB to 0.88-0.91 of the time (collection pause 260-310 ms against 450-600 ms, peak 250-270 MB
    /// against 310-340 MB) and normalise + validate on 1 GB to 0.84 (peak 150 MB against 237 MB); 32 KB gained no more.
    /// </summary>
    public const int BatchItems = 256;

    /// <summary>...or once its items hold this many bytes, whichever comes first.</summary>
    public const int BatchBytes = 1 << 16;

    /// <summary>Read buffer for text inputs; grows only for a single longer line or value.</summary>
    public const int ReadBufferBytes = 1 << 20;
}
