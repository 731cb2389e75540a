using Curation.Core.Files;
using Microsoft.Win32.SafeHandles;

namespace Curation.Dedup;

/// <summary>
/// An append-only temporary file read back at any offset: what the dedup stages keep per record but need only for
/// the few records they report on (ids and sources). Appends go through a buffer; reads see buffered bytes too.
/// Appends are for one thread; reads may come from several once appending is over. Deleted on dispose.
/// </summary>
internal sealed class ScratchLog : IDisposable
{
    private const int DefaultBufferBytes = 1 << 16;

    private readonly SafeFileHandle _file;
    private readonly byte[] _buffer;
    private int _buffered;
    private long _flushed;

    /// <param name="kind">Names the temporary file.</param>
    /// <param name="bufferBytes">How many appended bytes are gathered before they are written.</param>
    public ScratchLog(string kind, int bufferBytes = DefaultBufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, 1);
        _buffer = new byte[bufferBytes];
        _file = ScratchFile.OpenHandle(kind);
    }

    /// <summary>Bytes appended so far.</summary>
    public long Length => _flushed + _buffered;

    /// <summary>Appends <paramref name="bytes"/>; returns the offset they start at.</summary>
    public long Append(ReadOnlySpan<byte> bytes)
    {
        var offset = Length;
        if (_buffered + bytes.Length > _buffer.Length)
        {
            Flush();
        }

        if (bytes.Length > _buffer.Length)
        {
            Write(bytes, _flushed);
            _flushed += bytes.Length;
        }
        else
        {
            bytes.CopyTo(_buffer.AsSpan(_buffered));
            _buffered += bytes.Length;
        }

        return offset;
    }

    /// <summary>Fills <paramref name="destination"/> with the bytes from <paramref name="offset"/> on.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range reaches past what was appended.</exception>
    public void Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + destination.Length, Length, nameof(destination));
        var fromFile = (int)Math.Clamp(_flushed - offset, 0, destination.Length);
        for (var read = 0; read < fromFile;)
        {
            var got = RandomAccess.Read(_file, destination[read..fromFile], offset + read);
            read += got > 0 ? got : throw new EndOfStreamException("a dedup scratch file was cut short while it was read");
        }

        if (fromFile < destination.Length)
        {
            var start = (int)(offset + fromFile - _flushed);
            _buffer.AsSpan(start, destination.Length - fromFile).CopyTo(destination[fromFile..]);
        }
    }

    public void Dispose() => _file.Dispose();

    private void Flush()
    {
        Write(_buffer.AsSpan(0, _buffered), _flushed);
        _flushed += _buffered;
        _buffered = 0;
    }

    private void Write(ReadOnlySpan<byte> bytes, long offset)
    {
        try
        {
            PageCacheWrites.Write(_file, bytes, offset);
        }
        catch (IOException ex) when (ScratchFile.Fault(ex) is { } fault)
        {
            throw fault;
        }
    }
}
