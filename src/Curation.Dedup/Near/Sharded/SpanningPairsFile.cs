using Curation.Core;
using Curation.Core.Files;
using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near.Sharded;

/// <summary>What one pairs task found: candidate pairs, those it compared, and the seconds it took.</summary>
internal readonly record struct PairCounts(long Found, long Compared, double Seconds);

/// <summary>
/// One pairs task's file: the verified pairs that joined two of its clusters, in the order they joined them (8 bytes
/// a pair, the documents numbered as one process numbers them), then its counts: pairs written, candidate pairs
/// found, compared, and its seconds (28 bytes). Written under a temporary name and renamed when complete.
/// </summary>
internal static class SpanningPairsFile
{
    private const int PairBytes = 2 * sizeof(int);
    private const int CountsBytes = sizeof(int) + (2 * sizeof(long)) + sizeof(double);

    /// <summary>Writes the pairs as they come, then the counts <paramref name="finish"/> returns once they have all come.</summary>
    public static void Write(string path, Func<Action<CandidatePair>, PairCounts> finish)
    {
        ArgumentNullException.ThrowIfNull(finish);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            using (var writer = FingerprintExchange.Create(path))
            {
                var pairs = 0;
                var counts = finish(pair =>
                {
                    writer.Write(pair.First);
                    writer.Write(pair.Second);
                    pairs++;
                });
                writer.Write(pairs);
                writer.Write(counts.Found);
                writer.Write(counts.Compared);
                writer.Write(counts.Seconds);
            }

            FingerprintExchange.Commit(path);
        }
        finally
        {
            File.Delete(FingerprintExchange.Temporary(path));
        }
    }

    /// <summary>The counts of a pairs task's file.</summary>
    /// <exception cref="CurationException">The file is missing or cut short.</exception>
    public static PairCounts ReadCounts(string path)
    {
        using var reader = Open(path, out var pairs);
        reader.BaseStream.Position = (pairs * (long)PairBytes) + sizeof(int);
        return new PairCounts(reader.ReadInt64(), reader.ReadInt64(), reader.ReadDouble());
    }

    /// <summary>The pairs of a pairs task's file, in the order it wrote them.</summary>
    /// <exception cref="CurationException">The file is missing or cut short.</exception>
    public static IEnumerable<CandidatePair> ReadPairs(string path)
    {
        using var reader = Open(path, out var pairs);
        for (var i = 0; i < pairs; i++)
        {
            yield return new CandidatePair(reader.ReadInt32(), reader.ReadInt32());
        }
    }

    private static BinaryReader Open(string path, out int pairs)
    {
        if (!File.Exists(path))
        {
            throw new CurationException($"{DisplayPath.For(path)}: missing: its pairs task has not completed");
        }

        var reader = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        var length = reader.BaseStream.Length;
        if (length >= CountsBytes)
        {
            reader.BaseStream.Position = length - CountsBytes;
            pairs = reader.ReadInt32();
            if (pairs >= 0 && (pairs * (long)PairBytes) + CountsBytes == length)
            {
                reader.BaseStream.Position = 0;
                return reader;
            }
        }

        reader.Dispose();
        throw new CurationException($"{DisplayPath.For(path)}: cut short: remove it and rerun the pairs task that wrote it");
    }
}
