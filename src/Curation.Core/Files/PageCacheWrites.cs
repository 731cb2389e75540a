using Microsoft.Win32.SafeHandles;

namespace Curation.Core.Files;

/// <summary>
/// Writes through the page cache in pieces of at most 64 KB. A larger write makes the kernel cache it in larger
/// folios, and on virtual machines that hand free memory back to the host (virtio-balloon free page reporting
/// returns whole 2 MB blocks), those come from memory the host must back again on first touch: 256 MB written here
/// in 1 MB pieces took 1.4-1.8 s of system time, in 64 KB pieces 0.08-0.13 s, in 128 KB pieces already 1.7-2.2 s
/// (benchmarks/README.md). On other machines the extra calls cost microseconds.
/// </summary>
public static class PageCacheWrites
{
    /// <summary>The largest piece written at once.</summary>
    public const int MostBytes = 1 << 16;

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="offset"/>, <see cref="MostBytes"/> at a time.</summary>
    public static void Write(SafeFileHandle file, ReadOnlySpan<byte> bytes, long offset)
    {
        for (var at = 0; at < bytes.Length; at += MostBytes)
        {
            RandomAccess.Write(file, bytes.Slice(at, Math.Min(MostBytes, bytes.Length - at)), offset + at);
        }
    }
}
