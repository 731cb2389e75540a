using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Core.Tests.Files;

public sealed class AtomicFileTests
{
    [Fact]
    public void Write_ReplacesTheWholeFile_AndLeavesNoTemporaryFile()
    {
        using var temp = new TempFolder();
        var path = temp.Write("config.json", "old and much longer content");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["config.json"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_ThatFailsHalfWay_LeavesTheOldFileWhole()
    {
        using var temp = new TempFolder();
        var path = temp.Write("config.json", "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new InvalidOperationException("the writer failed");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["config.json"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_NeverFollowsALinkLeftUnderTheTemporaryName()
    {
        using var temp = new TempFolder();
        var input = temp.Write("input.jsonl", "precious");
        var path = temp.File("out.json");
        File.CreateSymbolicLink(StagedFile.TemporaryPathFor(path), input);

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("precious", File.ReadAllText(input));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void StagedFolder_AppearsWholeOnCommit_AndReplacesTheOldOne()
    {
        using var temp = new TempFolder();
        temp.Write("adapter/old.bin", "old");
        using (var folder = StagedFolder.Create(temp.File("adapter")))
        {
            File.WriteAllText(folder.PathOf("adapter_config.json"), "{}");
            Assert.True(File.Exists(temp.File("adapter/old.bin")));
            folder.Commit();
        }

        Assert.Equal(["adapter_config.json"], Directory.GetFiles(temp.File("adapter")).Select(Path.GetFileName));
        Assert.Equal(["adapter"], Directory.GetDirectories(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FileFaults_FullDisk_IsOneLineNamingTheFolder()
    {
        var message = FileFaults.Describe(new IOException("No space left on device : '/data/out/data.jsonl'", 28), "/data/out/data.jsonl");

        Assert.Equal("no space left on /data/out/ (writing /data/out/data.jsonl)", message);
        Assert.Equal(FileFault.ReadOnly, FileFaults.Classify(new IOException("Read-only file system", 30)));
        Assert.Equal(FileFault.Permission, FileFaults.Classify(new UnauthorizedAccessException()));
        Assert.Null(FileFaults.Describe(new IOException("Input/output error", 5), "/x"));
    }
}
