using System.IO.Compression;
using Curation.Core.Config;
using Curation.Core.Stages;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Curation.IO.Writers;

/// <summary>
/// One output file written safely: bytes go to ".&lt;name&gt;.tmp" beside the target, optionally compressed,
/// counted and hashed on their way to disk. Completing flushes to disk and renames the file into place (or to
/// "&lt;name&gt;.incomplete" when the run did not finish); disposing without completing deletes it.
/// </summary>
internal sealed class OutputFile : IAsyncDisposable
{
    /// <summary>zstd's default level: fast, with a ratio close to gzip's best.</summary>
    private const int ZstdLevel = 3;

    private const int FileBufferBytes = 1 << 20;

    private readonly string _path;
    private readonly string _tempPath;
    private readonly string _role;
    private readonly FileStream _file;
    private readonly HashingStream _hashing;
    private readonly Stream? _compression;
    private long _records;
    private bool _finished;

    public OutputFile(string path, string role, OutputCompression compression)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _role = role;
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _tempPath = System.IO.Path.Combine(directory ?? string.Empty, "." + System.IO.Path.GetFileName(path) + ".tmp");
        _file = new FileStream(_tempPath, FileMode.Create, FileAccess.Write, FileShare.Read, FileBufferBytes, FileOptions.None);
        _hashing = new HashingStream(_file);
        _compression = compression switch
        {
            OutputCompression.None => null,

            // GZipStream writes a header with no file name and a zero modification time, so equal input gives equal bytes.
            OutputCompression.Gzip => new GZipStream(_hashing, CompressionLevel.Fastest, leaveOpen: true),
            OutputCompression.Zstd => CreateZstd(_hashing),
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "unknown compression"),
        };
    }

    /// <summary>The path the finished file will have, as given.</summary>
    public string Path => _path;

    /// <summary>Where the bytes go: the compressor when there is one, else the file.</summary>
    public Stream Body => _compression ?? _hashing;

    /// <summary>Writes an encoded chunk and gives its pooled buffer back, also when the write fails.</summary>
    public async ValueTask WriteChunkAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        try
        {
            await WriteAsync(chunk.Bytes, chunk.Count, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            PooledByteBuffer.Return(chunk.Bytes);
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, int records, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!bytes.IsEmpty)
        {
            await Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        _records += records;
    }

    /// <summary>Counts records written straight to <see cref="Body"/>.</summary>
    public void AddRecords(long records) => _records += records;

    public async ValueTask<OutputFileInfo> CompleteAsync(bool complete, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        try
        {
            if (_compression is not null)
            {
                await _compression.DisposeAsync().ConfigureAwait(false);
            }

            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
            _file.Flush(flushToDisk: true);
            var bytes = _hashing.Length;
            var sha256 = _hashing.FinishHash();
            await DisposeStreamsAsync().ConfigureAwait(false);

            var finalPath = complete ? _path : _path + ".incomplete";
            File.Move(_tempPath, finalPath, overwrite: true);
            return new OutputFileInfo(finalPath, _role, bytes, sha256, _records, complete);
        }
        catch
        {
            await DisposeStreamsAsync().ConfigureAwait(false);
            DeleteTemp();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        await DisposeStreamsAsync().ConfigureAwait(false);
        DeleteTemp();
    }

    private static CompressionStream CreateZstd(Stream output)
    {
        var stream = new CompressionStream(output, ZstdLevel, 0, leaveOpen: true);
        stream.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        return stream;
    }

    private async ValueTask DisposeStreamsAsync()
    {
        if (_compression is not null)
        {
            try
            {
                await _compression.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The file is being abandoned; a compressor that cannot flush its tail changes nothing.
            }
        }

        await _hashing.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private void DeleteTemp()
    {
        try
        {
            File.Delete(_tempPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover ".tmp" never shadows a real output file.
        }
    }
}
