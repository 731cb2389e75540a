using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Curation.Core;
using Curation.Core.Files;

namespace Curation.Dedup.Near.Sharded;

/// <summary>
/// Near-dedup across shards without any process reading every record: the tasks before the stage write, for each
/// record they keep (the stage's documents, numbered per shard in input order), its fingerprint; a pairs step's tasks
/// each find and verify the candidate pairs of some band partitions and keep those that join two clusters; one
/// clusters step joins every task's pairs and writes each shard's decisions; the tasks after apply them.
/// Layout under the pairs step's folder:
/// <code>
/// shard-00003/shingles.bin     task 3's compared shingle sets, one after another (4 bytes a value)
/// shard-00003/documents.bin    per document: sequence, where its label starts, shingle count, content length, rank (32 bytes)
/// shard-00003/labels.bin       per document: id and source, UTF-16 with their lengths
/// shard-00003/fingerprinted    written last: documents, signing seconds, LSH runs spilled and their bytes
/// p-00001/bands-00003.bin      task 3's band keys of partition 1's bands (band % partitions), each band sorted by key: (key, document)
/// pairs-00002.bin              pairs task 2's verified pairs that joined two clusters, and its counts
/// decisions-00003.bin          the clusters step's decisions for task 3's documents in a cluster of two or more
/// notes.txt                    the clusters step's notes on the stage, one a line
/// </code>
/// Files are written under temporary names and renamed when complete, so a file that exists is whole.
/// </summary>
internal sealed class FingerprintExchange
{
    public const int DocumentBytes = (2 * sizeof(long)) + (2 * sizeof(int)) + sizeof(double);

    /// <summary>A band file entry: the key and the shard's document number, as an LSH run holds them.</summary>
    public const int EntryBytes = sizeof(ulong) + sizeof(int);

    public FingerprintExchange(string folder, int partitions, int shards, int bands)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        Folder = Path.GetFullPath(folder);
        Partitions = Math.Min(partitions, bands);
        Shards = shards;
        Bands = bands;
    }

    public string Folder { get; }

    public int Partitions { get; }

    public int Shards { get; }

    public int Bands { get; }

    public int PartitionOf(int band) => band % Partitions;

    /// <summary>Where band <paramref name="band"/>'s entries start in its partition's file of a shard of <paramref name="documents"/> documents.</summary>
    public static long BandOffset(int band, int partitions, long documents) => sizeof(long) + (band / partitions * documents * EntryBytes);

    public string ShardFolder(int shard) => Path.Combine(Folder, "shard-" + Index(shard));

    public string ShinglesFile(int shard) => Path.Combine(ShardFolder(shard), "shingles.bin");

    public string DocumentsFile(int shard) => Path.Combine(ShardFolder(shard), "documents.bin");

    public string LabelsFile(int shard) => Path.Combine(ShardFolder(shard), "labels.bin");

    public string FingerprintedMarker(int shard) => Path.Combine(ShardFolder(shard), "fingerprinted");

    public string BandsFile(int partition, int shard) => Path.Combine(Folder, "p-" + Index(partition), $"bands-{Index(shard)}.bin");

    /// <summary>The verified pairs pairs task <paramref name="task"/> kept (<see cref="SpanningPairsFile"/>).</summary>
    public string PairsFile(int task) => Path.Combine(Folder, $"pairs-{Index(task)}.bin");

    /// <summary>The bands pairs task <paramref name="task"/> of <paramref name="tasks"/> merges: those of the partitions dealt to it round-robin.</summary>
    public IEnumerable<int> BandsOf(int task, int tasks) => Enumerable.Range(0, Bands).Where(band => PartitionOf(band) % tasks == task);

    public string DecisionsFile(int shard) => Path.Combine(Folder, $"decisions-{Index(shard)}.bin");

    public string NotesFile => Path.Combine(Folder, "notes.txt");

    /// <summary>What shard <paramref name="shard"/>'s task wrote with its fingerprints.</summary>
    /// <exception cref="CurationException">Its task has not completed them.</exception>
    public ShardSummary SummaryOf(int shard)
    {
        var marker = FingerprintedMarker(shard);
        if (!File.Exists(marker))
        {
            throw new CurationException($"{DisplayPath.For(marker)}: missing: task {shard} has not completed its fingerprints");
        }

        var fields = File.ReadAllText(marker).Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 4
            || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out var documents)
            || !double.TryParse(fields[1], CultureInfo.InvariantCulture, out var signing)
            || !int.TryParse(fields[2], CultureInfo.InvariantCulture, out var runs)
            || !long.TryParse(fields[3], CultureInfo.InvariantCulture, out var spilled))
        {
            throw new CurationException($"{DisplayPath.For(marker)}: not a fingerprints marker: remove it and rerun task {shard}");
        }

        return new ShardSummary(documents, signing, runs, spilled);
    }

    internal static void WriteSummary(string path, ShardSummary summary) =>
        AtomicFile.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"{summary.Documents} {summary.SigningSeconds:R} {summary.SpilledRuns} {summary.SpilledBytes}\n"));

    internal static string Temporary(string path) => path + ".tmp";

    /// <summary>Text as UTF-16 code units with their count, so that any id reads back exactly.</summary>
    internal static void WriteText(BinaryWriter writer, string text)
    {
        writer.Write(text.Length);
        writer.Write(MemoryMarshal.AsBytes(text.AsSpan()));
    }

    internal static string ReadText(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        var bytes = reader.ReadBytes(length * sizeof(char));
        return bytes.Length == length * sizeof(char) ? new string(MemoryMarshal.Cast<byte, char>(bytes)) : throw new EndOfStreamException();
    }

    internal static BinaryWriter Create(string path) =>
        new(new FileStream(Temporary(path), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8);

    internal static void Commit(string path) => File.Move(Temporary(path), path, overwrite: true);

    private static string Index(int value) => value.ToString("D5", CultureInfo.InvariantCulture);
}

/// <summary>What one task wrote with its fingerprints: its documents, the seconds its workers spent signing, and its LSH spills.</summary>
internal readonly record struct ShardSummary(int Documents, double SigningSeconds, int SpilledRuns, long SpilledBytes);
