using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Core.Tests.Files;

public sealed class RealPathTests
{
    [Fact]
    public void Of_FollowsLinksToFilesAndFolders_AlsoForPathsThatDoNotExistYet()
    {
        using var temp = new TempFolder();
        var file = temp.Write("data/in.jsonl", "{}");
        File.CreateSymbolicLink(temp.File("link.jsonl"), file);
        Directory.CreateSymbolicLink(temp.File("alias"), temp.File("data"));

        Assert.Equal(RealPath.Of(file), RealPath.Of(temp.File("link.jsonl")));
        Assert.Equal(RealPath.Of(file), RealPath.Of(temp.File("alias/in.jsonl")));
        Assert.Equal(Path.Combine(RealPath.Of(temp.File("data")), "new", "out.jsonl"), RealPath.Of(temp.File("alias/new/out.jsonl")));
        Assert.Equal(RealPath.Of(file), RealPath.Of(temp.File("alias/../data/./in.jsonl")));
    }

    [Fact]
    public void Of_ALoopOfLinks_IsOneLine()
    {
        using var temp = new TempFolder();
        File.CreateSymbolicLink(temp.File("a"), temp.File("b"));
        File.CreateSymbolicLink(temp.File("b"), temp.File("a"));

        var error = Assert.Throws<CurationException>(() => RealPath.Of(temp.File("a/x.jsonl")));

        Assert.Contains("too many levels of symbolic links", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data/out/x.jsonl", "/data/out", true)]
    [InlineData("/data/out", "/data/out", true)]
    [InlineData("/data/output/x.jsonl", "/data/out", false)]
    [InlineData("/data/x.jsonl", "/", true)]
    public void IsInside_ComparesWholeComponents(string path, string folder, bool inside) =>
        Assert.Equal(inside, RealPath.IsInside(path, folder));
}
