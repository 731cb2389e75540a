namespace Curation.IO.Writers;

/// <summary>
/// Hands the stream below blocks of exactly <see cref="BlockBytes"/> bytes (the last one shorter), however the bytes
/// were written to it. gzip's deflate emits different (equally valid) bytes for the same input fed in different
/// pieces, so a compressed output written batch by batch by one process and part by part by a sharded run's merge is
/// the same file only when the compressor sees the same pieces.
/// </summary>
internal sealed class FixedBlockStream(Stream inner) : Stream
{
    public const int BlockBytes = 1 << 16;

    private readonly byte[] _block = new byte[BlockBytes];
    private int _filled;
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BlockBytes - _filled);
            buffer[..take].CopyTo(_block.AsSpan(_filled));
            _filled += take;
            _written += take;
            buffer = buffer[take..];
            if (_filled == BlockBytes)
            {
                inner.Write(_block, 0, BlockBytes);
                _filled = 0;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BlockBytes - _filled);
            buffer[..take].CopyTo(_block.AsMemory(_filled));
            _filled += take;
            _written += take;
            buffer = buffer[take..];
            if (_filled == BlockBytes)
            {
                await inner.WriteAsync(_block.AsMemory(0, BlockBytes), cancellationToken).ConfigureAwait(false);
                _filled = 0;
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Keeps a partial block: flushing it would cut the input into other pieces. The tail goes down on dispose.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_filled > 0)
        {
            await inner.WriteAsync(_block.AsMemory(0, _filled)).ConfigureAwait(false);
            _filled = 0;
        }

        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _filled > 0)
        {
            inner.Write(_block, 0, _filled);
            _filled = 0;
        }

        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
