namespace Curation.Core.Files;

/// <summary>
/// A file written under a hidden temporary name beside its final path (<c>.name.tmp</c>), so that nothing ever
/// appears under the final name half-written. <see cref="Seal"/> flushes it to disk; <see cref="Commit"/> renames it
/// into place; disposing it uncommitted deletes it. While it exists it is tracked in <see cref="TemporaryFiles"/>.
/// </summary>
public sealed class StagedFile : IDisposable, IAsyncDisposable
{
    private const int DefaultBufferBytes = 1 << 16;

    /// <summary>How much is written between two background flushes: large enough that each is one long sequential write.</summary>
    internal const long FlushBehindBytes = 64L << 20;

    private readonly FileStream _stream;
    private readonly FlushBehindStream _writer;
    private readonly DirectWriteStream? _direct;
    private readonly long _flushBehindBytes;
    private Task _backgroundFlush = Task.CompletedTask;
    private long _flushedThrough;
    private bool _sealed;
    private bool _done;

    private StagedFile(string finalPath, int bufferBytes, long flushBehindBytes, bool sequential)
    {
        FinalPath = finalPath;
        _flushBehindBytes = flushBehindBytes;
        TemporaryPath = TemporaryPathFor(finalPath);
        var directory = Path.GetDirectoryName(finalPath)!;
        FileFaults.Guard(finalPath, () => Directory.CreateDirectory(directory));
        // Whatever a killed run left under the temporary name goes first, a link included: a new file is created
        // there, so that a write never follows a link onto another file.
        _stream = TemporaryFiles.Create(TemporaryPath, isFolder: false, () => FileFaults.Guard(finalPath, () =>
        {
            File.Delete(TemporaryPath);
            return new FileStream(TemporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferBytes, FileOptions.None);
        }));

        _writer = new FlushBehindStream(this, _stream);
        _direct = sequential ? DirectWriteStream.TryCreate(_stream.SafeFileHandle) : null;
    }

    /// <summary>Where the file will be once committed (a full path).</summary>
    public string FinalPath { get; }

    /// <summary>Where its bytes are until then.</summary>
    public string TemporaryPath { get; }

    /// <summary>
    /// The file being written; valid until <see cref="Seal"/>. Once another 64 MB have been written through it, it
    /// starts flushing them to disk in the background (see <see cref="FlushBehind"/>); a file made with
    /// <see cref="CreateSequential"/> writes its blocks straight to the disk instead.
    /// </summary>
    public Stream Stream
    {
        get
        {
            ObjectDisposedException.ThrowIf(_sealed, this);
            return _direct ?? (Stream)_writer;
        }
    }

    /// <summary>Whether the file was renamed to its final (or another) name.</summary>
    public bool IsCommitted { get; private set; }

    /// <summary>Starts writing <paramref name="path"/>; the folder is created when missing.</summary>
    /// <exception cref="CurationException">The folder cannot be created or written (no space, no permission): one line naming it.</exception>
    public static StagedFile Create(string path, int bufferBytes = DefaultBufferBytes) => Create(path, bufferBytes, FlushBehindBytes);

    /// <summary>
    /// Starts writing <paramref name="path"/>, a large file that is written front to back and not read back by this
    /// run: where the system allows (Linux), its <see cref="Stream"/> writes 1 MB blocks straight to the disk, around
    /// the page cache (<see cref="DirectWriteStream"/>), and cannot seek.
    /// </summary>
    /// <exception cref="CurationException">The folder cannot be created or written (no space, no permission): one line naming it.</exception>
    public static StagedFile CreateSequential(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new StagedFile(Path.GetFullPath(path), DefaultBufferBytes, FlushBehindBytes, sequential: true);
    }

    internal static StagedFile Create(string path, int bufferBytes, long flushBehindBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(flushBehindBytes, 1);
        return new StagedFile(Path.GetFullPath(path), bufferBytes, flushBehindBytes, sequential: false);
    }

    /// <summary>Whether the file's bytes go straight to the disk (<see cref="CreateSequential"/> on a system that allows it).</summary>
    internal bool WritesDirect => _direct is { FellBack: false };

    /// <summary>How many background flushes <see cref="FlushBehind"/> has started.</summary>
    internal int BackgroundFlushes { get; private set; }

    /// <summary>
    /// Once another 64 MB have been written since the last background flush started, starts the next one, so that
    /// <see cref="Seal"/> waits only for the tail: otherwise the operating system holds the whole file in memory
    /// until then, and the run's last second is spent waiting for the disk. A fault of an earlier background flush
    /// is thrown here.
    /// </summary>
    /// <exception cref="CurationException">The disk is full or failing: one line naming the file.</exception>
    private void FlushBehind()
    {
        if (!_backgroundFlush.IsCompleted)
        {
            return;
        }

        if (_backgroundFlush.IsFaulted)
        {
            FileFaults.Guard(FinalPath, () => _backgroundFlush.GetAwaiter().GetResult());
        }

        var written = _stream.Position;
        if (written - _flushedThrough < _flushBehindBytes)
        {
            return;
        }

        _flushedThrough = written;
        var handle = _stream.SafeFileHandle;
        // A thread of its own: a pool thread blocked on the disk would take a core's share of the pool from the stages.
        _backgroundFlush = Task.Factory.StartNew(() => RandomAccess.FlushToDisk(handle), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        BackgroundFlushes++;
    }

    /// <summary>The hidden name a file is written under before it is committed.</summary>
    public static string TemporaryPathFor(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".tmp");
    }

    /// <summary>Flushes everything to disk and closes the file; it stays under its temporary name.</summary>
    /// <exception cref="CurationException">The disk is full or failing: one line naming the file.</exception>
    public void Seal()
    {
        if (_sealed)
        {
            return;
        }

        FileFaults.Guard(FinalPath, () =>
        {
            if (_direct is not null)
            {
                _direct.Finish();
                _direct.Dispose();
            }
            else
            {
                _backgroundFlush.GetAwaiter().GetResult();
                _stream.Flush(flushToDisk: true);
            }

            _stream.Dispose();
        });
        _sealed = true;
    }

    /// <summary>Seals the file if needed and renames it to <paramref name="path"/> (default: its final path), replacing what is there.</summary>
    public string Commit(string? path = null)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        Seal();
        var target = path is null ? FinalPath : Path.GetFullPath(path);
        FileFaults.Guard(target, () => File.Move(TemporaryPath, target, overwrite: true));
        TemporaryFiles.Forget(TemporaryPath);
        IsCommitted = true;
        _done = true;
        return target;
    }

    /// <summary>Closes and deletes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        try
        {
            _backgroundFlush.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The file is being abandoned: a flush that failed changes nothing.
        }

        _direct?.Dispose();
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // The file is being abandoned: a buffer that cannot be flushed (full disk) changes nothing.
        }

        TemporaryFiles.TryDelete(TemporaryPath, isFolder: false);
        TemporaryFiles.Forget(TemporaryPath);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The file stream as the writers see it: each write may start the next background flush.</summary>
    private sealed class FlushBehindStream(StagedFile owner, FileStream file) : Stream
    {
        public override bool CanRead => file.CanRead;

        public override bool CanSeek => file.CanSeek;

        public override bool CanWrite => file.CanWrite;

        public override long Length => file.Length;

        public override long Position
        {
            get => file.Position;
            set => file.Position = value;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            // A write longer than the file's buffer would go to the kernel whole (see PageCacheWrites).
            for (var at = 0; at < buffer.Length; at += PageCacheWrites.MostBytes)
            {
                file.Write(buffer.Slice(at, Math.Min(PageCacheWrites.MostBytes, buffer.Length - at)));
            }

            owner.FlushBehind();
        }

        public override void WriteByte(byte value)
        {
            file.WriteByte(value);
            owner.FlushBehind();
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            for (var at = 0; at < buffer.Length; at += PageCacheWrites.MostBytes)
            {
                await file.WriteAsync(buffer.Slice(at, Math.Min(PageCacheWrites.MostBytes, buffer.Length - at)), cancellationToken).ConfigureAwait(false);
            }

            owner.FlushBehind();
        }

        public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => file.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => file.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            file.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

        public override void SetLength(long value) => file.SetLength(value);

        public override void Flush() => file.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);
    }
}
