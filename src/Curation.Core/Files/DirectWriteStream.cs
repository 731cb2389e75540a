using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Curation.Core.Files;

/// <summary>
/// Writes a large file front to back in 1 MB blocks that go straight to the disk (Linux <c>O_DIRECT</c>), around
/// the page cache: each byte is copied once, into a block, and the device reads the block itself. Through the page
/// cache the kernel copies every byte into a freshly allocated page and writes it out later; on virtual machines
/// those pages are often not yet backed by the host, and a gigabyte written that way took 6-7 s of system time here
/// against 0.25 s direct (benchmarks/README.md). A full block is written by a pool thread while the next one fills:
/// the page cache used to let the disk work while the run computed, and one block at a time would make a slow disk's
/// every write a wait (on this fast one the second block measured no gain).
/// The last partial block is written through the page cache, since a direct write must be whole blocks;
/// <see cref="Finish"/> writes it and flushes the file to disk.
/// </summary>
internal sealed partial class DirectWriteStream : Stream
{
    /// <summary>The size of each direct write: a multiple of every device's logical block size.</summary>
    internal const int BlockBytes = 1 << 20;

    /// <summary>Buffer addresses and file offsets of direct writes must be multiples of the logical block size (512 or 4096).</summary>
    private const int Alignment = 4096;

    private const int GetStatusFlags = 3;
    private const int SetStatusFlags = 4;

    /// <summary>
    /// File systems written direct, by <c>statfs</c> magic number: local disks' (ext2/3/4, XFS, Btrfs, F2FS) and tmpfs
    /// (memory either way). Elsewhere the page cache stays: on NFS or a FUSE mount each direct write is a synchronous
    /// round trip.
    /// </summary>
    private static readonly long[] DirectFileSystems = [0xEF53, 0x58465342, 0x9123683E, 0xF2F52010, 0x01021994];

    private readonly SafeFileHandle _handle;
    private readonly int _descriptor;
    private readonly int _directFlag;
    private byte[]? _array;
    private int _start;
    private int _current;
    private int _filled;
    private long _written;
    private Task _pending = Task.CompletedTask;
    private long _pendingOffset;
    private bool _direct = true;
    private bool _refused;
    private bool _finished;

    private DirectWriteStream(SafeFileHandle handle, int descriptor, int directFlag)
    {
        _handle = handle;
        _descriptor = descriptor;
        _directFlag = directFlag;
    }

    /// <summary>Whether the file system refused the direct writes, so that the file went through the page cache after all.</summary>
    internal bool FellBack => _refused;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_finished;

    public override long Length => _written + _filled;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException("a direct file is written front to back");
    }

    /// <summary>The block being filled.</summary>
    private Span<byte> Block => BlockAt(_current).Span;

    /// <summary>
    /// Switches <paramref name="handle"/> (a new, empty file open for writing) to direct writes; null where the system
    /// has no such mode (other than Linux on x64 or arm64), on file systems not known to gain from it (see
    /// <see cref="DirectFileSystems"/>), or where the file system refuses it.
    /// </summary>
    public static DirectWriteStream? TryCreate(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var directFlag = RuntimeInformation.ProcessArchitecture switch
        {
            _ when !OperatingSystem.IsLinux() => 0,
            Architecture.X64 => 0x4000,
            Architecture.Arm64 => 0x10000,
            _ => 0,
        };
        if (directFlag == 0)
        {
            return null;
        }

        var descriptor = (int)handle.DangerousGetHandle();
        if (!OnDirectFileSystem(descriptor))
        {
            return null;
        }

        var flags = Fcntl(descriptor, GetStatusFlags, 0);
        if (flags < 0 || Fcntl(descriptor, SetStatusFlags, flags | directFlag) < 0)
        {
            return null;
        }

        return new DirectWriteStream(handle, descriptor, directFlag);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, BlockBytes - _filled);
            buffer[..take].CopyTo(Block[_filled..]);
            _filled += take;
            buffer = buffer[take..];
            if (_filled == BlockBytes)
            {
                StartBlockWrite();
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Copies synchronously: only a full block waits, for the block before it (well under a millisecond per megabyte).</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes nothing: whole blocks are on their way to disk, and the partial block can only go with <see cref="Finish"/>.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits for the last whole block, writes the partial one through the page cache and flushes the whole file to disk.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        WaitForPendingBlock();
        if (_filled > 0)
        {
            LeaveDirectMode();
            PageCacheWrites.Write(_handle, Block[.._filled], _written);
            _written += _filled;
            _filled = 0;
        }

        RandomAccess.FlushToDisk(_handle);
        _finished = true;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            try
            {
                _pending.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The file is being abandoned: a block that could not be written changes nothing.
            }
        }

        _finished = true;
        _array = null;
        base.Dispose(disposing);
    }

    /// <summary>
    /// One of the two blocks, allocated at the first write on the pinned heap so that their address stays aligned:
    /// one is filled while the other is being written.
    /// </summary>
    private Memory<byte> BlockAt(int index)
    {
        if (_array is null)
        {
            _array = GC.AllocateUninitializedArray<byte>((2 * BlockBytes) + Alignment, pinned: true);
            var address = Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0);
            _start = (int)((Alignment - (address % Alignment)) % Alignment);
        }

        return _array.AsMemory(_start + (index * BlockBytes), BlockBytes);
    }

    /// <summary>Hands the full block to a pool thread and goes on filling the other, once that one is written.</summary>
    private void StartBlockWrite()
    {
        WaitForPendingBlock();
        _pendingOffset = _written;
        if (_direct)
        {
            _pending = RandomAccess.WriteAsync(_handle, BlockAt(_current), _written).AsTask();
        }
        else
        {
            PageCacheWrites.Write(_handle, BlockAt(_current).Span, _written);
        }

        _written += BlockBytes;
        _current = 1 - _current;
        _filled = 0;
    }

    private void WaitForPendingBlock()
    {
        try
        {
            _pending.GetAwaiter().GetResult();
        }
        catch (IOException) when (_direct && _pendingOffset == 0)
        {
            // Some file systems accept the flag but refuse the writes (EINVAL): the file is written as any other.
            _refused = true;
            LeaveDirectMode();
            PageCacheWrites.Write(_handle, BlockAt(1 - _current).Span, 0);
        }

        _pending = Task.CompletedTask;
    }

    private void LeaveDirectMode()
    {
        if (!_direct)
        {
            return;
        }

        var flags = Fcntl(_descriptor, GetStatusFlags, 0);
        if (flags < 0 || Fcntl(_descriptor, SetStatusFlags, flags & ~_directFlag) < 0)
        {
            throw new IOException($"cannot switch the file back from direct writes (errno {Marshal.GetLastPInvokeError()})");
        }

        _direct = false;
    }

    /// <summary>Whether files on the file system with this <c>statfs</c> magic number are written direct.</summary>
    internal static bool WritesDirectOn(long fileSystemType) => DirectFileSystems.Contains(fileSystemType);

    private static bool OnDirectFileSystem(int descriptor)
    {
        // struct statfs starts with f_type (a long) on Linux x64 and arm64; the rest is not read.
        Span<long> status = stackalloc long[32];
        return Fstatfs(descriptor, ref MemoryMarshal.GetReference(status)) == 0 && WritesDirectOn(status[0]);
    }

    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    private static partial int Fstatfs(int descriptor, ref long status);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command, int argument);
}
