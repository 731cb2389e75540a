using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Core.Tests.Files;

public sealed class TemporaryFileRegistryTests
{
    [Fact]
    public void Abandon_DeletesOpenFilesAndFolders_ButNotForgottenOnes()
    {
        using var temp = new TempFolder();
        var registry = new TemporaryFileRegistry();
        var open = temp.File(".data.jsonl.tmp");
        var folder = temp.File(".export.tmp");
        var committed = temp.File(".manifest.json.tmp");
        registry.Create(open, isFolder: false, () => File.Create(open)).Dispose();
        registry.Create(folder, isFolder: true, () => Directory.CreateDirectory(folder));
        File.WriteAllText(Path.Combine(folder, "tasks.json"), "[]");
        registry.Create(committed, isFolder: false, () => File.Create(committed)).Dispose();
        registry.Forget(committed);

        Assert.Equal(2, registry.Abandon());

        Assert.False(File.Exists(open));
        Assert.False(Directory.Exists(folder));
        Assert.True(File.Exists(committed));
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void AfterAbandon_NothingIsCreated()
    {
        using var temp = new TempFolder();
        var registry = new TemporaryFileRegistry();
        registry.Abandon();
        var path = temp.File(".late.tmp");

        Assert.Throws<OperationCanceledException>(() => registry.Create(path, isFolder: false, () => File.Create(path)));

        Assert.False(File.Exists(path));
        Assert.Equal(0, registry.Count);
    }

    [Fact]
    public void ACreationThatFails_IsNotTracked()
    {
        using var temp = new TempFolder();
        var registry = new TemporaryFileRegistry();
        var path = temp.File("missing-folder/.data.tmp");

        Assert.Throws<DirectoryNotFoundException>(() => registry.Create(path, isFolder: false, () => File.Create(path)));

        Assert.Equal(0, registry.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task AbandonDuringCreations_LeavesNoFileBehind(int seed)
    {
        // A run staging file after file while a second Ctrl+C abandons them: whatever the moment, no file survives,
        // neither one open then nor one the run goes on to create.
        using var temp = new TempFolder();
        var registry = new TemporaryFileRegistry();
        using var started = new ManualResetEventSlim();
        var creator = Task.Run(() =>
        {
            for (var i = 0; ; i++)
            {
                var path = temp.File($".part-{i}.tmp");
                try
                {
                    using var stream = registry.Create(path, isFolder: false, () => new FileStream(path, FileMode.CreateNew));
                    started.Set();
                    stream.WriteByte(1);
                }
                catch (OperationCanceledException)
                {
                    return i;
                }

                if (i % 2 == 0)
                {
                    // Committed files are the run's to keep; the test removes them to see only leftovers.
                    registry.Forget(path);
                    File.Delete(path);
                }
            }
        });

        started.Wait(TimeSpan.FromSeconds(30));
        Thread.Sleep(new Random(seed).Next(0, 20));
        registry.Abandon();
        var created = await creator.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(created > 0);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
