using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Core.Tests.Files;

public sealed class PageCacheWritesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(PageCacheWrites.MostBytes)]
    [InlineData(PageCacheWrites.MostBytes + 1)]
    [InlineData((3 * PageCacheWrites.MostBytes) + 777)]
    public void Write_PutsEveryByteAtItsOffset_WhateverTheLength(int length)
    {
        using var temp = new TempFolder();
        var path = temp.File("scratch.bin");
        var head = new byte[1000];
        var bytes = new byte[length];
        new Random(length).NextBytes(head);
        new Random(length + 1).NextBytes(bytes);

        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            PageCacheWrites.Write(file, head, 0);
            PageCacheWrites.Write(file, bytes, head.Length);
        }

        Assert.Equal([.. head, .. bytes], File.ReadAllBytes(path));
    }

    [Fact]
    public async Task StagedFile_WritesLongerThanItsBuffer_CommitEveryByteInOrder()
    {
        using var temp = new TempFolder();
        var path = temp.File("adapter.safetensors");
        var first = new byte[(5 * PageCacheWrites.MostBytes) + 3];
        var second = new byte[(2 * PageCacheWrites.MostBytes) + 11];
        new Random(1).NextBytes(first);
        new Random(2).NextBytes(second);

        using (var file = StagedFile.Create(path))
        {
            file.Stream.Write(first);
            file.Stream.WriteByte(42);
            await file.Stream.WriteAsync(second);
            file.Commit();
        }

        Assert.Equal([.. first, 42, .. second], File.ReadAllBytes(path));
    }
}
