namespace Curation.IO.Readers;

/// <summary>Batch and buffer sizes shared by the readers.</summary>
internal static class ReaderLimits
{
    /// <summary>A batch closes at this many items...</summary>
    public const int BatchItems = 1024;

    /// <summary>...or once its items hold this many bytes, whichever comes first.</summary>
    public const int BatchBytes = 1 << 20;

    /// <summary>Read buffer for text inputs; grows only for a single longer line or value.</summary>
    public const int ReadBufferBytes = 1 << 20;
}
