using System.Runtime.InteropServices;
using System.Text;
using Curation.Dedup.MinHash;
using Curation.Dedup.Near;
using Curation.TestKit;

namespace Curation.Dedup.Tests.Near;

public sealed class DedupIndexTests
{
    private static readonly DedupIndexSettings Settings = new(128, 1, 14, 9, 5, 0, true, true, false, false) { PunctuationAsSpace = true };

    private static readonly string[] Texts =
    [
        "The committee met on Tuesday to review the budget for the coming year. Members agreed that the library needs longer "
            + "opening hours, and that the cost should come from the reserve rather than from higher fees.",
        "Rain is expected over the western hills tonight, clearing by morning. Farmers are advised to bring in hay before the "
            + "weekend, when a second front should bring wind and colder air from the north.",
        "To replace the filter, switch the pump off at the wall, unscrew the housing by hand and rinse the cartridge under a "
            + "cold tap. Never use soap: it leaves a film that lets algae settle on the mesh.",
    ];

    [Fact]
    public void AnIndexOfFormatTwo_LoadsAsItsComparedSets_AndFindsWhatAFreshIndexFinds()
    {
        using var temp = new TempFolder();
        var fingerprinter = new TextFingerprinter(Settings);
        var records = Texts.Select((text, i) => (Id: $"doc-{i}", Fingerprint: fingerprinter.Fingerprint(text))).ToArray();
        var formatTwo = temp.File("old.index");
        WriteFormatTwo(formatTwo, records.Select(record => (record.Id, record.Fingerprint.BandKeys, record.Fingerprint.Shingles)).ToArray());
        var fresh = temp.File("fresh.index");
        DedupIndex.Write(fresh, Settings, records.Length, records.Select(record => (record.Id, record.Fingerprint.BandKeys, record.Fingerprint.Shingles)));

        var old = DedupIndex.Read(formatTwo);
        var current = DedupIndex.Read(fresh);

        Assert.Equal(Settings, old.Settings);
        Assert.Equal(records.Select(record => record.Id), old.Ids);
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(ComparedShingles.Of(records[i].Fingerprint.Shingles), old.Shingles[i]);
            Assert.Equal(old.Shingles[i], current.Shingles[i]);
        }

        var query = fingerprinter.Fingerprint(Texts[1] + " Roads may close.");
        var expected = Jaccard.Of(query.Shingles, records[1].Fingerprint.Shingles);
        Assert.InRange(expected, 0.8, 0.99);
        Assert.Equal([(1, expected)], old.NearDuplicates(query.Shingles, query.BandKeys, 0.8));
        Assert.Equal([(1, expected)], current.NearDuplicates(query.Shingles, query.BandKeys, 0.8));
    }

    [Fact]
    public void AnIndex_KeepsFourBytesPerComparedValue_HalfWhatFormatTwoKept()
    {
        using var temp = new TempFolder();
        var fingerprinter = new TextFingerprinter(Settings);
        var records = Texts.Select((text, i) => (Id: $"doc-{i}", Fingerprint: fingerprinter.Fingerprint(text)))
            .Select(record => (record.Id, record.Fingerprint.BandKeys, record.Fingerprint.Shingles)).ToArray();
        var formatTwo = temp.File("old.index");
        WriteFormatTwo(formatTwo, records);
        var fresh = temp.File("fresh.index");
        DedupIndex.Write(fresh, Settings, records.Length, records);

        var values = records.Sum(record => (long)ComparedShingles.Of(record.Shingles).Length);
        Assert.Equal(records.Sum(record => (long)record.Shingles.Length), values);
        Assert.Equal(new FileInfo(formatTwo).Length - (4 * values), new FileInfo(fresh).Length);
    }

    /// <summary>An index as the previous format wrote it: 64-bit shingle hashes.</summary>
    private static void WriteFormatTwo(string path, (string Id, ulong[] BandKeys, ulong[] Shingles)[] records)
    {
        using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
        writer.Write("curation-dedup-index/2");
        writer.Write(Settings.NumPerm);
        writer.Write(Settings.Seed);
        writer.Write(Settings.Bands);
        writer.Write(Settings.Rows);
        writer.Write(Settings.Ngram);
        writer.Write(Settings.CharNgram);
        writer.Write(Settings.Lowercase);
        writer.Write(Settings.StripPunctuation);
        writer.Write(Settings.FoldDigits);
        writer.Write(Settings.StripDiacritics);
        writer.Write(Settings.PunctuationAsSpace);
        writer.Write(records.Length);
        foreach (var (id, bandKeys, shingles) in records)
        {
            writer.Write(id);
            writer.Write(MemoryMarshal.AsBytes(bandKeys.AsSpan()));
            writer.Write(shingles.Length);
            writer.Write(MemoryMarshal.AsBytes(shingles.AsSpan()));
        }
    }
}
