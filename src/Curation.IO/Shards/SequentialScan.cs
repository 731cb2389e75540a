using System.Buffers;
using System.Security.Cryptography;
using Curation.Core;
using Curation.Core.Files;
using Curation.IO.Compression;

namespace Curation.IO.Shards;

/// <summary>
/// Reads a file once from start to end in large chunks, taking its SHA-256 on the way, and hands each chunk with its
/// offset to a scanner: the one pass a planner makes over a file it cuts (its ranges are then read without a hash).
/// </summary>
internal static class SequentialScan
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>The file's size and SHA-256; null when <paramref name="refuseCompressed"/> and its bytes are gzip or zstd whatever its name says.</summary>
    public static (long Bytes, string Sha256)? Read(string path, bool refuseCompressed, ReadOnlySpanAction<byte, long> scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var display = DisplayPath.For(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            try
            {
                long offset = 0;
                int read;
                while ((read = file.ReadAtLeast(buffer.AsSpan(0, ChunkBytes), ChunkBytes, throwOnEndOfStream: false)) > 0)
                {
                    var chunk = buffer.AsSpan(0, read);
                    if (offset == 0 && refuseCompressed
                        && CompressionSignature.Detect(chunk[..Math.Min(chunk.Length, CompressionSignature.Length)]) != CompressionKind.None)
                    {
                        return null;
                    }

                    hash.AppendData(chunk);
                    scan(chunk, offset);
                    offset += read;
                }

                return (offset, Convert.ToHexStringLower(hash.GetHashAndReset()));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"{display}: cannot read the input file to plan shards: {e.Message}", e);
        }
    }
}
