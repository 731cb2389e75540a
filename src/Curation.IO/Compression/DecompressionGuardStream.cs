using System.Buffers.Binary;
using Curation.Core;
using Curation.IO.Streams;
using ZstdSharp;

namespace Curation.IO.Compression;

/// <summary>
/// Wraps a decompressor so that corrupt or truncated data becomes a <see cref="CurationException"/> naming the file
/// and the approximate compressed byte offset, instead of a library exception or, for gzip, a silent short read.
/// </summary>
internal sealed class DecompressionGuardStream : ReadOnlyStream
{
    private readonly Stream _decompressor;
    private readonly CompressionKind _kind;
    private readonly string _file;
    private readonly ICompressedSource _source;
    private long _decompressed;
    private bool _ended;

    public DecompressionGuardStream(Stream decompressor, CompressionKind kind, string file, ICompressedSource source)
    {
        ArgumentNullException.ThrowIfNull(decompressor);
        ArgumentNullException.ThrowIfNull(source);
        _decompressor = decompressor;
        _kind = kind;
        _file = file;
        _source = source;
    }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _decompressor.Read(buffer);
        }
        catch (Exception e) when (IsCorruption(e))
        {
            throw Corrupt(e.Message, e);
        }

        return Account(read, buffer.Length);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _decompressor.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsCorruption(e))
        {
            throw Corrupt(e.Message, e);
        }

        return Account(read, buffer.Length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decompressor.Dispose();
        }

        base.Dispose(disposing);
    }

    private static bool IsCorruption(Exception e) => e is InvalidDataException or ZstdException or EndOfStreamException;

    private int Account(int read, int requested)
    {
        if (read > 0)
        {
            _decompressed += read;
        }
        else if (requested > 0 && !_ended)
        {
            _ended = true;
            if (_kind == CompressionKind.Gzip)
            {
                CheckGzipTrailer();
            }
        }

        return read;
    }

    // .NET's GZipStream ends quietly when a file is cut short. The trailer's ISIZE (length mod 2^32 of the last member)
    // can never exceed what was decompressed, so a larger value means the "trailer" is really compressed data.
    // Multi-member files (last member shorter than the whole) stay valid.
    private void CheckGzipTrailer()
    {
        var trailer = _source.Trailer;
        if (trailer.Length < ICompressedSource.TrailerLength)
        {
            throw Corrupt("the stream ends before the gzip trailer", null);
        }

        var declared = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        var actual = (uint)_decompressed;
        if (declared == actual || _decompressed > uint.MaxValue || declared < _decompressed)
        {
            return;
        }

        throw Corrupt($"the file is truncated (the data ends after {_decompressed} decompressed bytes, in the middle of the gzip stream)", null);
    }

    private CurationException Corrupt(string reason, Exception? inner)
    {
        var message = $"{_file}: corrupt {CompressionSignature.Describe(_kind)} data near compressed byte {_source.BytesRead}: {reason}";
        return inner is null ? new CurationException(message) : new CurationException(message, inner);
    }
}
