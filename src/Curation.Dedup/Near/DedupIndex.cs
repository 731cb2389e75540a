using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Curation.Core;
using Curation.Core.Files;
using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near;

/// <summary>
/// A saved dataset for cross-dataset deduplication (<c>save_index</c> / <c>against</c>): the settings its band keys
/// were made with, and each record's id, band keys and compared shingle set (<see cref="ComparedShingles"/>). Loaded
/// whole: an evaluation set or a previous training set of a few million records fits.
/// </summary>
/// <remarks>
/// Formats 1 and 2 kept the full 64-bit shingle hashes; they load as their compared sets, which is what format 3 keeps.
/// </remarks>
public sealed class DedupIndex
{
    private const string Magic = "curation-dedup-index/3";

    // Format 2 kept 64-bit shingle hashes.
    private const string MagicWithFullShingles = "curation-dedup-index/2";

    // Format 1 also had no punctuation_as_space setting: its indexes deleted punctuation.
    private const string MagicWithoutPunctuationSetting = "curation-dedup-index/1";

    private readonly Dictionary<ulong, List<int>>[] _buckets;

    private DedupIndex(DedupIndexSettings settings, string[] ids, uint[][] shingles, ulong[][] bandKeys)
    {
        Settings = settings;
        Ids = ids;
        Shingles = shingles;
        _buckets = new Dictionary<ulong, List<int>>[settings.Bands];
        for (var band = 0; band < settings.Bands; band++)
        {
            _buckets[band] = [];
        }

        for (var document = 0; document < ids.Length; document++)
        {
            for (var band = 0; band < settings.Bands; band++)
            {
                if (!_buckets[band].TryGetValue(bandKeys[document][band], out var list))
                {
                    _buckets[band][bandKeys[document][band]] = list = [];
                }

                list.Add(document);
            }
        }
    }

    public DedupIndexSettings Settings { get; }

    public IReadOnlyList<string> Ids { get; }

    /// <summary>Each record's compared shingle set (<see cref="ComparedShingles"/>).</summary>
    public IReadOnlyList<uint[]> Shingles { get; }

    /// <summary>Indexed records that share at least one band with <paramref name="bandKeys"/>, each once, ascending.</summary>
    public IReadOnlyList<int> Candidates(ReadOnlySpan<ulong> bandKeys)
    {
        var found = new SortedSet<int>();
        for (var band = 0; band < _buckets.Length; band++)
        {
            if (_buckets[band].TryGetValue(bandKeys[band], out var list))
            {
                found.UnionWith(list);
            }
        }

        return [.. found];
    }

    /// <summary>
    /// Indexed records whose compared shingle set has an exact Jaccard similarity of at least <paramref name="threshold"/>
    /// with that of <paramref name="shingles"/> (a shingle set as <see cref="TextFingerprinter"/> gives it), among the
    /// candidates <paramref name="bandKeys"/> finds, ascending by record: what near-dedup's <c>against</c> (with
    /// <c>verify: true</c>) compares a record with.
    /// </summary>
    public IReadOnlyList<(int Document, double Jaccard)> NearDuplicates(ReadOnlySpan<ulong> shingles, ReadOnlySpan<ulong> bandKeys, double threshold)
    {
        var found = new List<(int Document, double Jaccard)>();
        var compared = ComparedShingles.Of(shingles);
        foreach (var candidate in Candidates(bandKeys))
        {
            var similarity = Jaccard.Of(compared, Shingles[candidate]);
            if (similarity >= threshold)
            {
                found.Add((candidate, similarity));
            }
        }

        return found;
    }

    /// <param name="count">How many records <paramref name="records"/> yields (shingle sets as <see cref="TextFingerprinter"/> gives them); they are streamed, not held.</param>
    public static void Write(string path, DedupIndexSettings settings, int count, IEnumerable<(string Id, ulong[] BandKeys, ulong[] Shingles)> records) =>
        AtomicFile.Write(path, stream => Write(stream, settings, count, records));

    /// <param name="count">How many records <paramref name="records"/> yields (shingle sets as <see cref="TextFingerprinter"/> gives them); they are streamed, not held.</param>
    public static void Write(Stream output, DedupIndexSettings settings, int count, IEnumerable<(string Id, ulong[] BandKeys, ulong[] Shingles)> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Write(output, settings, count, records.Select(record => (record.Id, record.BandKeys, ComparedShingles.Of(record.Shingles))));
    }

    /// <param name="count">How many records <paramref name="records"/> yields (with compared shingle sets); they are streamed, not held.</param>
    internal static void Write(Stream output, DedupIndexSettings settings, int count, IEnumerable<(string Id, ulong[] BandKeys, uint[] ComparedShingles)> records)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(records);
        using (var writer = new BinaryWriter(new BufferedStream(output, 1 << 16), System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(settings.NumPerm);
            writer.Write(settings.Seed);
            writer.Write(settings.Bands);
            writer.Write(settings.Rows);
            writer.Write(settings.Ngram);
            writer.Write(settings.CharNgram);
            writer.Write(settings.Lowercase);
            writer.Write(settings.StripPunctuation);
            writer.Write(settings.FoldDigits);
            writer.Write(settings.StripDiacritics);
            writer.Write(settings.PunctuationAsSpace);
            writer.Write(count);
            var written = 0;
            foreach (var (id, bandKeys, shingles) in records)
            {
                written++;
                writer.Write(id);
                writer.Write(MemoryMarshal.AsBytes(bandKeys.AsSpan()));
                writer.Write(shingles.Length);
                writer.Write(MemoryMarshal.AsBytes(shingles.AsSpan()));
            }

            if (written != count)
            {
                throw new ArgumentException($"{count} records announced, {written} given", nameof(records));
            }
        }
    }

    /// <exception cref="CurationException">The file is missing, not an index, or cut short.</exception>
    public static DedupIndex Read(string path)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            var magic = ReadMagic(reader);
            if (magic is not (Magic or MagicWithFullShingles or MagicWithoutPunctuationSetting))
            {
                throw new CurationException($"{path}: not a Curation dedup index (expected one written by 'save_index' or --save-index)");
            }

            var settings = new DedupIndexSettings(
                reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(),
                reader.ReadBoolean(), reader.ReadBoolean(), reader.ReadBoolean(), reader.ReadBoolean())
            {
                PunctuationAsSpace = magic != MagicWithoutPunctuationSetting && reader.ReadBoolean(),
            };
            var count = reader.ReadInt32();
            if (FirstImpossibility(settings, count, reader.BaseStream) is { } impossible)
            {
                throw new CurationException($"{path}: not a valid dedup index ({impossible}); write it again with 'save_index'");
            }

            var ids = new string[count];
            var bandKeys = new ulong[count][];
            var shingles = new uint[count][];
            for (var i = 0; i < count; i++)
            {
                ids[i] = reader.ReadString();
                bandKeys[i] = ReadValues<ulong>(reader, settings.Bands);
                shingles[i] = magic == Magic ? ReadValues<uint>(reader, reader.ReadInt32()) : ComparedShingles.Of(ReadValues<ulong>(reader, reader.ReadInt32()));
            }

            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new CurationException($"{path}: not a valid dedup index (bytes after its last record); write it again with 'save_index'");
            }

            return new DedupIndex(settings, ids, shingles, bandKeys);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException)
        {
            throw new CurationException($"{path}: not a valid dedup index ({ex.GetType().Name} while reading a record); write it again with 'save_index'", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"{path}: cannot read the dedup index: {(ex is EndOfStreamException ? "the file is cut short" : ex.Message)}", ex);
        }
    }

    // A damaged header must not become a huge allocation or a crash deep inside the index.
    private static string? FirstImpossibility(DedupIndexSettings settings, int count, Stream stream)
    {
        if (settings.NumPerm < 1 || settings.Bands < 1 || settings.Rows < 1 || (long)settings.Bands * settings.Rows > settings.NumPerm)
        {
            return $"{settings.Bands} bands × {settings.Rows} rows of {settings.NumPerm} permutations";
        }

        // Each record takes at least its id's length byte, its band keys and its shingle count.
        var smallestRecord = 1L + (8L * settings.Bands) + 4;
        return count < 0 || count * smallestRecord > stream.Length - stream.Position
            ? $"{count} records announced in {stream.Length} bytes"
            : null;
    }

    private static string ReadMagic(BinaryReader reader)
    {
        try
        {
            return reader.ReadString();
        }
        catch (Exception ex) when (ex is EndOfStreamException or FormatException)
        {
            return string.Empty;
        }
    }

    private static T[] ReadValues<T>(BinaryReader reader, int count)
        where T : unmanaged
    {
        if (count < 0 || (long)count * Unsafe.SizeOf<T>() > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new EndOfStreamException();
        }

        var values = new T[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
