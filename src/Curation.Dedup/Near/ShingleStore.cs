using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Curation.Dedup.Near;

/// <summary>
/// Each document's sorted shingle set, appended to a temporary file and read back by document index, so that only
/// the documents of candidate pairs are ever in memory together. Deleted on dispose.
/// </summary>
internal sealed class ShingleStore : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"curation-shingles-{Guid.NewGuid():N}.bin");
    private readonly SafeFileHandle _file;
    private readonly List<long> _offsets = [0];

    public ShingleStore()
    {
        _file = File.OpenHandle(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
    }

    public int Count => _offsets.Count - 1;

    /// <summary>Stores the next document's set; returns its index.</summary>
    public int Add(ReadOnlySpan<ulong> shingles)
    {
        var offset = _offsets[^1];
        RandomAccess.Write(_file, MemoryMarshal.AsBytes(shingles), offset);
        _offsets.Add(offset + (shingles.Length * sizeof(ulong)));
        return Count - 1;
    }

    /// <summary>The set of document <paramref name="index"/>. Safe to call from several threads.</summary>
    public ulong[] Get(int index)
    {
        var start = _offsets[index];
        var shingles = new ulong[(_offsets[index + 1] - start) / sizeof(ulong)];
        var bytes = MemoryMarshal.AsBytes(shingles.AsSpan());
        var read = 0;
        while (read < bytes.Length)
        {
            read += RandomAccess.Read(_file, bytes[read..], start + read);
        }

        return shingles;
    }

    public void Dispose()
    {
        _file.Dispose();
        if (File.Exists(_path))
        {
            File.Delete(_path);
        }
    }
}
