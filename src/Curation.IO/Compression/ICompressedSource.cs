namespace Curation.IO.Compression;

/// <summary>What a decompressor needs to know about the raw stream under it to explain a failure.</summary>
internal interface ICompressedSource
{
    /// <summary>Raw (still compressed) bytes read so far.</summary>
    long BytesRead { get; }

    /// <summary>The last raw bytes read (up to <see cref="TrailerLength"/>), e.g. a gzip trailer once at the end.</summary>
    ReadOnlySpan<byte> Trailer { get; }

    public const int TrailerLength = 8;
}
