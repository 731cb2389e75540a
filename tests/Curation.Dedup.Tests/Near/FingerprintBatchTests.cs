using Curation.Dedup.Near;

namespace Curation.Dedup.Tests.Near;

public sealed class FingerprintBatchTests
{
    private static readonly DedupIndexSettings Settings = new(128, 1, 14, 9, 5, 0, true, true, false, true) { PunctuationAsSpace = true };

    [Fact]
    public void HoldsWhatTheFingerprinterGivesEachText_ThroughGrowthAndGaps()
    {
        var fingerprinter = new TextFingerprinter(Settings);
        var random = new Random(5);
        var texts = Enumerable.Range(0, 40)
            .Select(i => i % 7 == 3 ? null : string.Join(' ', Enumerable.Range(0, random.Next(0, 400)).Select(_ => "w" + random.Next(300))) + "\n")
            .ToArray();

        // Room for one value: every fingerprint grows the buffer.
        using var batch = new FingerprintBatch(texts.Length, Settings.Bands, expectedValues: 1);
        for (var i = texts.Length - 1; i >= 0; i--)
        {
            if (texts[i] is { } text)
            {
                var room = batch.Reserve(TextFingerprinter.MaxShingles(text.Length));
                var shingles = fingerprinter.Fingerprint(text, room[..Settings.Bands], room[Settings.Bands..]);
                batch.Commit(i, shingles, text.Length, i % 2 == 0 ? i : null);
            }
        }

        Assert.Equal(texts.Length, batch.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i] is { } text)
            {
                var (shingles, bandKeys) = fingerprinter.Fingerprint(text);
                Assert.True(batch.Has(i));
                Assert.Equal(shingles, batch.Shingles(i).ToArray());
                Assert.Equal(bandKeys, batch.BandKeys(i).ToArray());
                Assert.Equal(text.Length, batch.ContentLength(i));
                Assert.Equal(i % 2 == 0 ? i : null, batch.Rank(i));
            }
            else
            {
                Assert.False(batch.Has(i));
                Assert.Throws<InvalidOperationException>(() => batch.Shingles(i).Length);
            }
        }
    }

    [Fact]
    public void Commit_MoreShinglesThanReserved_Throws()
    {
        using var batch = new FingerprintBatch(1, Settings.Bands, expectedValues: 100);
        batch.Reserve(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Commit(0, 4, 10, null));
    }
}
