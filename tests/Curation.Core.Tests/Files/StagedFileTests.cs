using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Core.Tests.Files;

public sealed class StagedFileTests
{
    private const int FlushBehindBytes = 1000;

    [Fact]
    public async Task Writes_PastTheFlushBehindSize_StartBackgroundFlushes_AndCommitEveryByteInOrder()
    {
        using var temp = new TempFolder();
        var path = temp.File("out/data.jsonl");
        var expected = new MemoryStream();
        using (var file = StagedFile.Create(path, bufferBytes: 256, FlushBehindBytes))
        {
            for (var i = 0; i < 40; i++)
            {
                var line = System.Text.Encoding.UTF8.GetBytes($"{{\"line\":{i},\"text\":\"{new string((char)('a' + (i % 26)), 97 + i)}\"}}");
                switch (i % 3)
                {
                    case 0:
                        file.Stream.Write(line);
                        break;
                    case 1:
                        await file.Stream.WriteAsync(line);
                        break;
                    default:
                        file.Stream.Write(line, 0, line.Length);
                        break;
                }

                file.Stream.WriteByte((byte)'\n');
                expected.Write(line);
                expected.WriteByte((byte)'\n');
            }

            Assert.InRange(file.BackgroundFlushes, 1, (int)(expected.Length / FlushBehindBytes));
            file.Commit();
        }

        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(["data.jsonl"], Directory.GetFiles(temp.File("out")).Select(Path.GetFileName));
    }

    [Fact]
    public void SmallFile_StartsNoBackgroundFlush()
    {
        using var temp = new TempFolder();
        using var file = StagedFile.Create(temp.File("manifest.json"));

        file.Stream.Write(new byte[64 * 1024]);

        Assert.Equal(0, file.BackgroundFlushes);
    }

    [Fact]
    public async Task AbandonedFile_AfterBackgroundFlushes_IsDeleted()
    {
        using var temp = new TempFolder();
        var path = temp.File("data.jsonl");
        var file = StagedFile.Create(path, bufferBytes: 256, FlushBehindBytes);
        for (var i = 0; i < 20; i++)
        {
            await file.Stream.WriteAsync(new byte[600]);
        }

        Assert.True(file.BackgroundFlushes >= 1);
        file.Dispose();

        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
