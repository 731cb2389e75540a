using System.IO.Compression;
using Curation.Core;
using ZstdSharp;

namespace Curation.IO.Compression;

/// <summary>Opens the decompressed view of a raw input stream, trusting the magic bytes over the file name.</summary>
internal static class Decompression
{
    /// <summary>
    /// Sniffs the first bytes of <paramref name="raw"/> and returns a stream of its decompressed content.
    /// A file whose name promises compression but whose bytes carry no known signature is rejected as corrupt;
    /// a file whose name promises nothing but whose bytes are gzip or zstd is decompressed anyway.
    /// </summary>
    public static async Task<Stream> OpenAsync<TSource>(TSource raw, CompressionKind declared, string file, CancellationToken cancellationToken)
        where TSource : Stream, ICompressedSource
    {
        ArgumentNullException.ThrowIfNull(raw);
        var head = new byte[CompressionSignature.Length];
        var count = await raw.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var actual = CompressionSignature.Detect(head.AsSpan(0, count));
        if (declared != CompressionKind.None && actual == CompressionKind.None && count > 0)
        {
            var signature = declared == CompressionKind.Gzip ? "1f 8b" : "28 b5 2f fd";
            throw new CurationException(
                $"{file}: not {CompressionSignature.Describe(declared)} data: the file does not start with the signature {signature} (corrupt, or named wrongly)");
        }

        var replay = new PrefixedReadStream(head.AsMemory(0, count), raw);
        return actual switch
        {
            CompressionKind.Gzip => new DecompressionGuardStream(new GZipStream(replay, CompressionMode.Decompress), actual, file, raw),
            CompressionKind.Zstd => new DecompressionGuardStream(new DecompressionStream(replay, checkEndOfStream: true, leaveOpen: false), actual, file, raw),
            _ => replay,
        };
    }
}
