namespace Curation.IO.Readers;

/// <summary>Batch and buffer sizes shared by the readers.</summary>
internal static class ReaderLimits
{
    /// <summary>
    /// A batch closes at this many items... Small batches keep the records in flight between stages (channel
    /// capacity × stages × batch) to a few tens of MB: measured on 1 GB, 256 KB batches peaked at 130 MB RSS
    /// against 340 MB with 1 MB batches, and ran faster because fewer records survived into older GC generations.
    /// </summary>
    public const int BatchItems = 256;

    /// <summary>...or once its items hold this many bytes, whichever comes first.</summary>
    public const int BatchBytes = 1 << 18;

    /// <summary>Read buffer for text inputs; grows only for a single longer line or value.</summary>
    public const int ReadBufferBytes = 1 << 20;
}
