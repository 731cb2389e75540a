using Curation.Dedup.MinHash;

namespace Curation.Dedup.Tests.MinHash;

public class BandHasherTests
{
    private static readonly BandHasher Hasher = new(new LshParameters(4, 3));

    [Fact]
    public void Hash_GivesOneKeyPerBand_ThatChangesOnlyWithItsBand()
    {
        uint[] signature = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 99];
        var keys = Hasher.Hash(signature);

        signature[4] = 50;
        var changed = Hasher.Hash(signature);
        signature[12] = 0;

        Assert.Equal(4, keys.Length);
        Assert.Equal([keys[0], keys[2], keys[3]], [changed[0], changed[2], changed[3]]);
        Assert.NotEqual(keys[1], changed[1]);
        Assert.Equal(changed, Hasher.Hash(signature));
    }

    [Fact]
    public void Hash_IsPinned_SoStoredKeysStayComparable()
    {
        uint[] signature = [0x07C45640, 0x03219D72, 0x14AF37A9, 0x1E7C4ABC, 0x8519B6B1, 0x5BE4204E, 0x1F6969C0, 0x53EE46B4];

        Assert.Equal([0xB706842412FE7CD1UL, 0xCF1105E4C8153962UL], new BandHasher(new LshParameters(2, 4)).Hash(signature));
    }

    [Fact]
    public void Hash_EqualBandsInDifferentPositions_GetDifferentKeys()
    {
        var keys = Hasher.Hash([7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]);

        Assert.Equal(4, keys.Distinct().Count());
    }

    [Fact]
    public void Hash_ChecksLengths()
    {
        Assert.Throws<ArgumentException>(() => Hasher.Hash(new uint[11]));
        Assert.Throws<ArgumentException>(() => Hasher.Hash(new uint[12], new ulong[3]));
    }
}
