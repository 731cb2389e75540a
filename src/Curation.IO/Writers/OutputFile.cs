using System.IO.Compression;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Stages;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Curation.IO.Writers;

/// <summary>
/// One output file of a run: bytes go to a <see cref="StagedFile"/> of the run's <see cref="RunOutputs"/>, optionally
/// compressed, counted and hashed on their way to disk. <see cref="SealAsync"/> flushes it to disk and hands it to
/// the run's outputs, which rename it into place only when the whole run has succeeded; disposing it unsealed
/// deletes it. A full disk or a folder that cannot be written becomes one line naming the file.
/// </summary>
internal sealed class OutputFile : IAsyncDisposable
{
    /// <summary>zstd's default level: fast, with a ratio close to gzip's best.</summary>
    private const int ZstdLevel = 3;

    private readonly RunOutputs _outputs;
    private readonly string _role;
    private readonly StagedFile _file;
    private readonly HashingStream _hashing;
    private readonly Stream? _compression;
    private long _records;
    private bool _finished;

    public OutputFile(RunOutputs outputs, string path, string role, OutputCompression compression)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentException.ThrowIfNullOrEmpty(path);
        _outputs = outputs;
        _role = role;
        _file = outputs.CreateSequentialFile(path);
        _hashing = new HashingStream(_file.Stream);
        _compression = compression switch
        {
            OutputCompression.None => null,

            // GZipStream writes a header with no file name and a zero modification time, and gets its input in fixed
            // blocks, so equal input gives equal bytes, however it was written.
            OutputCompression.Gzip => new FixedBlockStream(new GZipStream(_hashing, CompressionLevel.Fastest, leaveOpen: true)),
            OutputCompression.Zstd => CreateZstd(_hashing),
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "unknown compression"),
        };
    }

    /// <summary>The path the finished file will have.</summary>
    public string Path => _file.FinalPath;

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
            try
            {
                await Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (FileFaults.Describe(ex, Path) is { } message)
            {
                throw new CurationFileException(message, Path, FileFaults.Classify(ex), ex);
            }
        }

        _records += records;
    }

    /// <summary>Counts records written straight to <see cref="Body"/>.</summary>
    public void AddRecords(long records) => _records += records;

    /// <summary>Finishes the file (compressor tail, flush to disk) and hands it to the run's outputs; returns what it will be once committed.</summary>
    /// <exception cref="CurationFileException">The disk is full or the file cannot be written.</exception>
    public async ValueTask<OutputFileInfo> SealAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        try
        {
            if (_compression is not null)
            {
                await _compression.DisposeAsync().ConfigureAwait(false);
            }

            await _hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
            var bytes = _hashing.Length;
            var sha256 = _hashing.FinishHash();
            await _hashing.DisposeAsync().ConfigureAwait(false);
            return _outputs.Seal(_file, _role, _records, bytes, sha256);
        }
        catch (Exception ex) when (FileFaults.Describe(ex, Path) is { } message && ex is not CurationFileException)
        {
            _file.Dispose();
            throw new CurationFileException(message, Path, FileFaults.Classify(ex), ex);
        }
        catch
        {
            _file.Dispose();
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
        _file.Dispose();
    }

    private static CompressionStream CreateZstd(Stream output)
    {
        var stream = new CompressionStream(output, ZstdLevel, 0, leaveOpen: true);
        stream.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        return stream;
    }
}
