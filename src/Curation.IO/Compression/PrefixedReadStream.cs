using Curation.IO.Streams;

namespace Curation.IO.Compression;

/// <summary>Replays bytes already read from a stream (to sniff it), then continues with the stream itself.</summary>
internal sealed class PrefixedReadStream : ReadOnlyStream
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

    public override int Read(Span<byte> buffer)
    {
        if (_prefixRead < _prefix.Length)
        {
            return CopyPrefix(buffer);
        }

        return _inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefixRead < _prefix.Length)
        {
            return ValueTask.FromResult(CopyPrefix(buffer.Span));
        }

        return _inner.ReadAsync(buffer, cancellationToken);
    }

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
