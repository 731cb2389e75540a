using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.IO.Inputs;
using Curation.IO.Readers;
using Curation.IO.Readers.Parquet;

namespace Curation.IO.Shards;

/// <summary>
/// The record source of one shard task: its pieces in order, whole files read exactly as <see cref="FileRecordSource"/>
/// reads them, ranges read with the file's own reader from their first byte to their end (JSON Lines and CSV/TSV; the
/// row groups starting in them for Parquet) with lines and rows counted on from <see cref="FilePiece.LinesBefore"/> and
/// <see cref="FilePiece.RowsBefore"/>. A range may hold no record; whether the whole file did is decided when the parts
/// are merged.
/// </summary>
internal sealed class ShardRecordSource : IRecordSource
{
    private readonly IReadOnlyList<FilePiece> _pieces;
    private ImmutableList<InputFileInfo> _files = [];
    private ImmutableList<PieceResult> _results = [];
    private long _bytesRead;
    private int _started;

    public ShardRecordSource(IReadOnlyList<FilePiece> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        _pieces = pieces;
        TotalBytes = pieces.Sum(piece => piece.End is { } end ? end - piece.Start : InputFileFacts.Of(piece.Path).Length);
    }

    /// <summary>Whole files read so far (ranges are not files of their own).</summary>
    public IReadOnlyList<InputFileInfo> Files => Volatile.Read(ref _files);

    /// <summary>Every piece read so far, in order.</summary>
    public IReadOnlyList<PieceResult> Pieces => Volatile.Read(ref _results);

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long TotalBytes { get; }

    public async IAsyncEnumerable<RawItem[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A ShardRecordSource can be read only once.");
        }

        for (var index = 0; index < _pieces.Count; index++)
        {
            var piece = _pieces[index];
            long items = 0;
            if (piece.IsWholeFile)
            {
                var file = new InputFileReader(piece.Path, piece.Options, allowEmpty: false, AddBytesRead);
                await foreach (var batch in file.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    items += batch.Length;
                    yield return batch;
                }

                ImmutableInterlocked.Update(ref _files, (files, info) => files.Add(info), file.Info!);
                ImmutableInterlocked.Update(ref _results, (results, result) => results.Add(result), new PieceResult(index, items, file.Info));
                continue;
            }

            await foreach (var batch in ReadRangeAsync(piece, cancellationToken).ConfigureAwait(false))
            {
                items += batch.Length;
                yield return batch;
            }

            ImmutableInterlocked.Update(ref _results, (results, result) => results.Add(result), new PieceResult(index, items, null));
        }
    }

    private async IAsyncEnumerable<RawItem[]> ReadRangeAsync(FilePiece piece, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var display = DisplayPath.For(piece.Path);
        var length = piece.End!.Value - piece.Start;
        if (!InputFileType.TryFromPath(piece.Path, out var type))
        {
            throw new CurationException($"{display}: unsupported input file type (supported: {InputFileType.SupportedList})");
        }

        if (type.Kind == InputFileKind.Parquet)
        {
            var file = Open(piece.Path, 0, display);
            await using (file.ConfigureAwait(false))
            {
                var rows = new ParquetRowReader(display).ReadAsync(file, file.Length, AddBytesRead, (piece.Start, piece.End.Value, piece.RowsBefore), cancellationToken);
                await foreach (var batch in rows.ConfigureAwait(false))
                {
                    yield return batch;
                }
            }

            yield break;
        }

        var range = new RangeReadStream(Open(piece.Path, piece.Start, display), length, AddBytesRead);
        await using (range.ConfigureAwait(false))
        {
            if (type.Kind == InputFileKind.JsonLines)
            {
                await foreach (var batch in new JsonlReader(display).ReadAsync(range, piece.LinesBefore, cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }

                yield break;
            }

            var csv = new CsvRowReader(display, CsvDelimiter.Resolve(piece.Options.Delimiter, type.Kind == InputFileKind.Tsv));
            if (piece.Start == 0)
            {
                await foreach (var batch in csv.ReadAsync(range, cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }

                yield break;
            }

            // Rows after the first range are named by the header, which only the file's first row holds.
            var fileStart = Open(piece.Path, 0, display);
            await using (fileStart.ConfigureAwait(false))
            {
                await foreach (var batch in csv.ReadRangeAsync(fileStart, range, piece.RowsBefore, piece.LinesBefore, cancellationToken).ConfigureAwait(false))
                {
                    yield return batch;
                }
            }
        }
    }

    public void Release(RawItem[] batch) => ItemBatchBuilder.Return(batch);

    private void AddBytesRead(long bytes) => Interlocked.Add(ref _bytesRead, bytes);

    private static FileStream Open(string path, long start, string display)
    {
        try
        {
            var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.SequentialScan,
                BufferSize = 0,
            });
            stream.Seek(start, SeekOrigin.Begin);
            return stream;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"{display}: cannot open the input file: {e.Message}", e);
        }
    }
}
