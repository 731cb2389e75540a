using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Core.Tests.Files;

public sealed class ScratchFileTests
{
    [Fact]
    public void OpenStream_WorksWithoutANameOnDisk()
    {
        using var temp = new TempFolder();
        using (var stream = ScratchFile.OpenStream("spill", temp.Path))
        {
            stream.Write([1, 2, 3]);
            stream.Position = 0;
            Assert.Equal(1, stream.ReadByte());
            Assert.Empty(Directory.GetFiles(temp.Path));
        }

        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void SweepStale_RemovesOnlyOldScratchFiles()
    {
        using var temp = new TempFolder();
        var old = temp.Write("curation-spill-0123.bin", "x");
        var fresh = temp.Write("curation-spill-4567.bin", "x");
        var foreign = temp.Write("someone-else.bin", "x");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-2));
        File.SetLastWriteTimeUtc(foreign, DateTime.UtcNow.AddDays(-2));

        var removed = ScratchFile.SweepStale(temp.Path);

        Assert.Equal(1, removed);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public void Fault_NamesTheTempFolderForAFullDisk()
    {
        var full = new IOException("No space left on device : '/tmp/x'", 28);

        var fault = ScratchFile.Fault(full, "/tmp");

        Assert.NotNull(fault);
        Assert.Equal("no space left on /tmp/ for temporary files; set TMPDIR to a folder with more room", fault.Message);
        Assert.Null(ScratchFile.Fault(new IOException("other", 5), "/tmp"));
    }
}
