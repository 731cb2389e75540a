using System.Security.Cryptography;
using Curation.IO.Compression;
using Curation.IO.Streams;

namespace Curation.IO.Inputs;

/// <summary>
/// Reads a raw input file once while taking its SHA-256, counting its bytes for progress and keeping its last bytes
/// (so a decompressor can check a trailer). <see cref="DrainAsync"/> reads whatever a reader left unread.
/// </summary>
internal sealed class HashingReadStream : ReadOnlyStream, ICompressedSource
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Action<long>? _progress;
    private readonly byte[] _trailer = new byte[ICompressedSource.TrailerLength];
    private int _trailerLength;
    private long _bytesRead;

    public HashingReadStream(Stream inner, Action<long>? progress)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _progress = progress;
    }

    public long BytesRead => _bytesRead;

    public ReadOnlySpan<byte> Trailer => _trailer.AsSpan(0, _trailerLength);

    /// <summary>Reads the rest of the file so that the hash and size cover every byte.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Lower-case hex SHA-256 of every byte read.</summary>
    public string HashHex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Account(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        _hash.AppendData(data);
        _bytesRead += data.Length;
        KeepTrailer(data);
        _progress?.Invoke(data.Length);
    }

    private void KeepTrailer(ReadOnlySpan<byte> data)
    {
        if (data.Length >= _trailer.Length)
        {
            data[^_trailer.Length..].CopyTo(_trailer);
            _trailerLength = _trailer.Length;
            return;
        }

        var keep = Math.Min(_trailerLength, _trailer.Length - data.Length);
        _trailer.AsSpan(_trailerLength - keep, keep).CopyTo(_trailer);
        data.CopyTo(_trailer.AsSpan(keep));
        _trailerLength = keep + data.Length;
    }
}
