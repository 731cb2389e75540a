using System.IO.Compression;
using Curation.IO.Compression;
using Curation.IO.Inputs;

namespace Curation.IO.Tests.Streams;

/// <summary>The three read-only wrappers share one base: they read their bytes through both read APIs and refuse the rest.</summary>
public class ReadOnlyStreamTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];

    public static TheoryData<string> Wrappers() => ["prefixed", "hashing", "decompression-guard"];

    [Theory]
    [MemberData(nameof(Wrappers))]
    public void ReadsEveryByte_WithArraysAndSpans(string wrapper)
    {
        using var stream = Open(wrapper);
        var read = new List<byte>();
        var buffer = new byte[7];
        int count;
        while ((count = read.Count % 2 == 0 ? stream.Read(buffer, 1, 5) : stream.Read(buffer.AsSpan())) > 0)
        {
            read.AddRange(read.Count % 2 == 0 ? buffer.AsSpan(1, count).ToArray() : buffer.AsSpan(0, count).ToArray());
        }

        Assert.Equal(Content, read);
    }

    [Theory]
    [MemberData(nameof(Wrappers))]
    public async Task ReadsEveryByte_Asynchronously(string wrapper)
    {
        await using var stream = Open(wrapper);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 11);
        Assert.Equal(Content, copy.ToArray());
    }

    [Theory]
    [MemberData(nameof(Wrappers))]
    public void RefusesWritingSeekingAndLength(string wrapper)
    {
        using var stream = Open(wrapper);
        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position);
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(0));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.Write([1]));
        stream.Flush();
    }

    private static Stream Open(string wrapper) => wrapper switch
    {
        "prefixed" => new PrefixedReadStream(Content.AsMemory(0, 10), new MemoryStream(Content, 10, Content.Length - 10), leaveOpen: false),
        "hashing" => new HashingReadStream(new MemoryStream(Content), progress: null),
        _ => Guarded(),
    };

    private static DecompressionGuardStream Guarded()
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Content);
        }

        var source = new HashingReadStream(new MemoryStream(compressed.ToArray()), progress: null);
        return new DecompressionGuardStream(new GZipStream(source, CompressionMode.Decompress), CompressionKind.Gzip, "test.gz", source);
    }
}
