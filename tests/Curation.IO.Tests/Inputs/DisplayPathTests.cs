using Curation.Core.Files;

namespace Curation.IO.Tests.Inputs;

public sealed class DisplayPathTests
{
    [Fact]
    public void For_FileBeneathCurrentDirectory_IsRelativeWithForwardSlashes()
    {
        var path = Path.Combine(Environment.CurrentDirectory, "data", "train.jsonl");

        Assert.Equal("data/train.jsonl", DisplayPath.For(path));
    }

    [Fact]
    public void For_FileOutsideCurrentDirectory_IsAbsolute()
    {
        var outside = Path.GetFullPath(Path.Combine(Environment.CurrentDirectory, "..", "elsewhere-" + Guid.NewGuid().ToString("N"), "a.jsonl"));

        Assert.Equal(outside, DisplayPath.For(outside));
    }
}
