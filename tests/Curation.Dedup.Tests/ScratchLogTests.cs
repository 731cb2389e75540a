namespace Curation.Dedup.Tests;

public sealed class ScratchLogTests
{
    [Theory]
    [InlineData(1 << 16)]
    [InlineData(1 << 20)]
    [InlineData(7)]
    public void ReadsBackAnyRange_WhetherFlushedOrStillBuffered(int bufferBytes)
    {
        using var log = new ScratchLog("test", bufferBytes);
        var written = new List<byte>();
        var random = new Random(3);
        var offsets = new List<(long Offset, int Length)>();
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[i % 50 == 0 ? 70_000 : random.Next(0, 600)];
            random.NextBytes(bytes);
            offsets.Add((log.Append(bytes), bytes.Length));
            written.AddRange(bytes);
        }

        Assert.Equal(written.Count, log.Length);
        var all = written.ToArray();
        foreach (var (offset, length) in offsets)
        {
            var read = new byte[length];
            log.Read(offset, read);
            Assert.Equal(all[(int)offset..((int)offset + length)], read);
        }

        // A range that spans the flushed part and the buffer.
        var tail = new byte[1000];
        log.Read(log.Length - 1000, tail);
        Assert.Equal(all[^1000..], tail);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Read(log.Length - 1, new byte[2]));
    }
}
