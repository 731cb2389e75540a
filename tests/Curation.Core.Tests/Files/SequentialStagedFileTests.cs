using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Core.Tests.Files;

/// <summary>
/// Large outputs written front to back (<see cref="StagedFile.CreateSequential"/>): on Linux their whole blocks go
/// straight to the disk, around the page cache, and the file committed holds exactly the bytes written, whatever
/// the sizes of the writes.
/// </summary>
public sealed class SequentialStagedFileTests
{
    private const int Block = DirectWriteStream.BlockBytes;

    // The tests' temporary folder is on a local file system (ext4 or tmpfs) wherever they run.
    private static bool DirectWritesExpected =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(Block - 1)]
    [InlineData(Block)]
    [InlineData(Block + 1)]
    [InlineData((3 * Block) + 12_345)]
    public async Task EveryByte_IsCommittedInOrder_WhateverTheSizesOfTheWrites(int size)
    {
        using var temp = new TempFolder();
        var path = temp.File("out/data.jsonl");
        var expected = new byte[size];
        new Random(size).NextBytes(expected);
        var random = new Random(7);
        using (var file = StagedFile.CreateSequential(path))
        {
            Assert.Equal(DirectWritesExpected, file.WritesDirect);
            var at = 0;
            var call = 0;
            while (at < size)
            {
                // Small writes, writes across a block's end, and writes longer than a block.
                var length = Math.Min(size - at, (call % 4) switch { 0 => random.Next(1, 200), 1 => random.Next(1, Block / 3), 2 => random.Next(Block, 2 * Block), _ => 1 });
                var piece = expected.AsMemory(at, length);
                switch (call % 3)
                {
                    case 0:
                        file.Stream.Write(piece.Span);
                        break;
                    case 1:
                        await file.Stream.WriteAsync(piece);
                        break;
                    default:
                        if (length == 1)
                        {
                            file.Stream.WriteByte(piece.Span[0]);
                        }
                        else
                        {
                            file.Stream.Write(expected, at, length);
                        }

                        break;
                }

                at += length;
                call++;
                Assert.Equal(at, file.Stream.Length);
            }

            file.Commit();
            Assert.Equal(expected, File.ReadAllBytes(path));
            Assert.Equal(DirectWritesExpected, file.WritesDirect);
        }

        Assert.Equal(["data.jsonl"], Directory.GetFiles(temp.File("out")).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void WholeBlocks_StayOutOfThePageCache_WhileAFileWrittenAsAnyOtherStaysIn()
    {
        Skip.IfNot(DirectWritesExpected, "direct writes are a Linux x64/arm64 feature");
        using var temp = new TempFolder();
        var bytes = new byte[(4 * Block) + 100];
        new Random(3).NextBytes(bytes);
        var direct = temp.File("direct.jsonl");
        var buffered = temp.File("buffered.jsonl");

        using (var file = StagedFile.CreateSequential(direct))
        {
            file.Stream.Write(bytes);
            file.Commit();
        }

        using (var file = StagedFile.Create(buffered))
        {
            file.Stream.Write(bytes);
            file.Commit();
        }

        // Only the page holding the 100-byte tail, written through the cache, may be resident.
        Assert.InRange(ResidentBytes(direct), 0, 4096);
        Assert.InRange(ResidentBytes(buffered), 4L * Block, bytes.Length + 4096);
    }

    [Theory]
    [InlineData(0xEF53, true)] // ext2, ext3, ext4
    [InlineData(0x58465342, true)] // XFS
    [InlineData(0x9123683E, true)] // Btrfs
    [InlineData(0x01021994, true)] // tmpfs
    [InlineData(0x6969, false)] // NFS
    [InlineData(0x65735546, false)] // FUSE
    [InlineData(0x0BD00BD0, false)] // Lustre
    [InlineData(0x00C36400, false)] // CephFS
    public void DirectWrites_AreForLocalFileSystems_NotNetworkOrFuseMounts(long fileSystemType, bool direct) =>
        Assert.Equal(direct, DirectWriteStream.WritesDirectOn(fileSystemType));

    [Fact]
    public void AbandonedFile_AfterWholeBlocks_IsDeleted()
    {
        using var temp = new TempFolder();
        var path = temp.File("out/data.jsonl");

        using (var file = StagedFile.CreateSequential(path))
        {
            file.Stream.Write(new byte[(2 * Block) + 10]);
        }

        Assert.Empty(Directory.GetFiles(temp.File("out"), "*", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public void Stream_CannotSeekOrRead()
    {
        Skip.IfNot(DirectWritesExpected, "direct writes are a Linux x64/arm64 feature");
        using var temp = new TempFolder();
        using var file = StagedFile.CreateSequential(temp.File("data.jsonl"));

        Assert.False(file.Stream.CanSeek);
        Assert.False(file.Stream.CanRead);
        Assert.Throws<NotSupportedException>(() => file.Stream.Position = 0);
    }

    /// <summary>How much of a file is in the page cache, as util-linux's fincore counts it.</summary>
    private static long ResidentBytes(string path)
    {
        var start = new ProcessStartInfo("fincore") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--bytes", "--noheadings", "--output", "RES", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        return long.Parse(output.Trim(), CultureInfo.InvariantCulture);
    }
}
