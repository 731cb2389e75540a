using System.Buffers;
using System.Security.Cryptography;
using Curation.Core;
using Curation.Core.Files;
using Curation.IO.Compression;

namespace Curation.IO.Shards;

/// <summary>A line start where a file is cut, and how many lines lie before it.</summary>
internal readonly record struct LineCut(long Offset, long LinesBefore);

/// <summary>An uncompressed JSON Lines file scanned for cutting: its size, SHA-256 and the line starts chosen.</summary>
internal sealed record LineCutScan(long Bytes, string Sha256, IReadOnlyList<LineCut> Cuts);

/// <summary>
/// Finds where an uncompressed JSON Lines file can be cut into byte ranges: each wanted offset moves forward to the
/// next line start, and the lines before it are counted, so that a range reader numbers lines as a whole-file
/// reader does. One sequential pass, which also takes the file's SHA-256 (ranges are read without hashing).
/// </summary>
internal static class LineCuts
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Null when the file's bytes are compressed whatever its name says (it is then read whole).</summary>
    /// <param name="wanted">Offsets, ascending, strictly inside the file.</param>
    public static LineCutScan? Scan(string path, IReadOnlyList<long> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var display = DisplayPath.For(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            try
            {
                var cuts = new List<LineCut>();
                var next = 0;
                long offset = 0;
                long lines = 0;
                var first = true;
                int read;
                while ((read = file.Read(buffer, 0, ChunkBytes)) > 0)
                {
                    var chunk = buffer.AsSpan(0, read);
                    if (first)
                    {
                        first = false;
                        if (CompressionSignature.Detect(chunk[..Math.Min(chunk.Length, CompressionSignature.Length)]) != CompressionKind.None)
                        {
                            return null;
                        }
                    }

                    hash.AppendData(chunk);
                    var at = 0;
                    while (at < chunk.Length)
                    {
                        var newline = chunk[at..].IndexOf((byte)'\n');
                        if (newline < 0)
                        {
                            break;
                        }

                        at += newline + 1;
                        lines++;
                        var lineStart = offset + at;

                        // The cut wanted at w lands on the first line start at or after w.
                        while (next < wanted.Count && wanted[next] <= lineStart)
                        {
                            if (cuts.Count == 0 || cuts[^1].Offset < lineStart)
                            {
                                cuts.Add(new LineCut(lineStart, lines));
                            }

                            next++;
                        }
                    }

                    offset += read;
                }

                return new LineCutScan(offset, Convert.ToHexStringLower(hash.GetHashAndReset()), [.. cuts.Where(cut => cut.Offset < offset)]);
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
