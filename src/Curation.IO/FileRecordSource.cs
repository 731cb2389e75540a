using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.IO.Inputs;
using Curation.IO.Readers;

namespace Curation.IO;

/// <summary>
/// The pipeline's record source: reads the resolved input files one after the other, in order, and streams their
/// items in batches (at most 256 items or about 64 KB each). While reading it takes each file's size and SHA-256 of
/// its raw, still compressed bytes (one pass; Parquet, read by seeking, gets a second sequential pass) and counts
/// bytes for progress. Source references name files relative to the current directory when beneath it (with '/'),
/// otherwise by absolute path. A file that yields no record is an error unless <c>allowEmpty</c> is set.
/// </summary>
public sealed class FileRecordSource : IRecordSource
{
    private readonly IReadOnlyList<ResolvedInput> _inputs;
    private readonly bool _allowEmpty;
    private ImmutableList<InputFileInfo> _files = [];
    private long _bytesRead;
    private int _started;

    public FileRecordSource(IEnumerable<ResolvedInput> inputs, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        _inputs = [.. inputs];
        _allowEmpty = allowEmpty;
        long total = 0;
        foreach (var input in _inputs)
        {
            foreach (var file in input.Files)
            {
                total += SizeOf(file);
            }
        }

        TotalBytes = total;
    }

    /// <summary>The files read so far, in read order, with their sizes, hashes and item counts.</summary>
    public IReadOnlyList<InputFileInfo> Files => Volatile.Read(ref _files);

    /// <summary>Raw (compressed) input bytes consumed so far.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Raw size of every input file, taken when the source was created.</summary>
    public long TotalBytes { get; }

    /// <summary>Resolves <paramref name="inputs"/> (paths relative to <paramref name="baseDirectory"/>) and creates the source.</summary>
    public static FileRecordSource Create(IEnumerable<InputOptions> inputs, string baseDirectory, bool allowEmpty = false) =>
        new(InputResolver.ResolveAll([.. inputs], baseDirectory), allowEmpty);

    /// <summary>Streams the items of one file, on its own (e.g. for <c>curate inspect</c>).</summary>
    public static IAsyncEnumerable<RawItem[]> ReadFileAsync(string path, InputOptions options, CancellationToken cancellationToken) =>
        ReadFileAsync(path, options, allowEmpty: false, cancellationToken);

    /// <summary>Streams the items of one file, on its own, optionally accepting a file without records.</summary>
    public static IAsyncEnumerable<RawItem[]> ReadFileAsync(string path, InputOptions options, bool allowEmpty, CancellationToken cancellationToken) =>
        new InputFileReader(path, options, allowEmpty, progress: null).ReadAsync(cancellationToken);

    /// <summary>Streams every file's items in order. A source can be read once.</summary>
    public async IAsyncEnumerable<RawItem[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A FileRecordSource can be read only once.");
        }

        foreach (var input in _inputs)
        {
            foreach (var path in input.Files)
            {
                var file = new InputFileReader(path, input.Options, _allowEmpty, AddBytesRead);
                await foreach (var batch in file.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }

                ImmutableInterlocked.Update(ref _files, (files, info) => files.Add(info), file.Info!);
            }
        }
    }

    /// <summary>Returns the batch's pooled buffer; the runner calls this once the batch is decoded.</summary>
    public void Release(RawItem[] batch) => ReleaseBatch(batch);

    /// <summary>Returns the pooled buffer of a batch from <see cref="ReadFileAsync(string, InputOptions, CancellationToken)"/> once its items are no longer read.</summary>
    public static void ReleaseBatch(RawItem[] batch) => ItemBatchBuilder.Return(batch);

    private void AddBytesRead(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException e)
        {
            throw new Core.CurationException($"{DisplayPath.For(path)}: input not found: no such file", e);
        }
    }
}
