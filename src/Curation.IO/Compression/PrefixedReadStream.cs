namespace Curation.IO.Compression;

/// <summary>Replays bytes already read from a stream (to sniff it), then continues with the stream itself.</summary>
internal sealed class PrefixedReadStream : Stream
{
    private readonly ReadOnlyMemory<byte> _prefix;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private int _prefixRead;

    public PrefixedReadStream(ReadOnlyMemory<byte> prefix, Stream inner, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _prefix = prefix;
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixRead < _prefix.Length)
        {
            return CopyPrefix(buffer);
        }

        return _inner.Read(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixRead < _prefix.Length)
        {
            return ValueTask.FromResult(CopyPrefix(buffer.Span));
        }

        return _inner.ReadAsync(buffer, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int CopyPrefix(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _prefix.Length - _prefixRead);
        _prefix.Span.Slice(_prefixRead, count).CopyTo(buffer);
        _prefixRead += count;
        return count;
    }
}
