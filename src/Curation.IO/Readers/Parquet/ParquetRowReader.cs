using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Records;
using Parquet;

namespace Curation.IO.Readers.Parquet;

/// <summary>
/// Reads a Parquet file one row group at a time (never the whole file) and turns each row into a JSON object keyed
/// by column name: primitives as JSON values, lists as arrays, structs and maps as objects, nulls as null. Rows are
/// numbered as <see cref="SourceUnit.Row"/> from 1 across row groups.
/// </summary>
internal sealed class ParquetRowReader
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly string _file;

    public ParquetRowReader(string file)
    {
        _file = file;
    }

    /// <param name="file">A readable, seekable stream over the whole file.</param>
    /// <param name="progress">Told about each row group read, as its share of <paramref name="fileBytes"/>.</param>
    public IAsyncEnumerable<RawItem[]> ReadAsync(Stream file, long fileBytes, Action<long>? progress, CancellationToken cancellationToken) =>
        ReadAsync(file, fileBytes, progress, range: null, cancellationToken);

    /// <param name="file">A readable, seekable stream over the whole file.</param>
    /// <param name="progress">Told about each row group read, as its share of <paramref name="fileBytes"/> (of the range's bytes for a range).</param>
    /// <param name="range">
    /// Only the row groups whose first page lies in [Start, End), rows numbered on from RowsBefore (which must be the
    /// rows of the row groups before them); null for the whole file.
    /// </param>
    public async IAsyncEnumerable<RawItem[]> ReadAsync(
        Stream file,
        long fileBytes,
        Action<long>? progress,
        (long Start, long End, long RowsBefore)? range,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var reader = await OpenAsync(file, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var (firstGroup, groups, rowsBefore) = (0, reader.RowGroupCount, 0L);
            var progressBytes = fileBytes;
            if (range is { } part)
            {
                var layout = ParquetRowGroupLayout.Of(reader.Metadata!)
                    ?? throw new CurationException($"{_file}: its row groups no longer have known starts: the file changed since the run was planned");
                (firstGroup, groups, var before) = layout.Within(part.Start, part.End);
                if (groups == 0 || before != part.RowsBefore || (part.Start > 0 && layout.Starts[firstGroup] != part.Start))
                {
                    throw new CurationException($"{_file}: no row group starts at byte {part.Start} after {part.RowsBefore} rows: the file changed since the run was planned");
                }

                rowsBefore = before;
                progressBytes = part.End - part.Start;
            }

            var assembler = ParquetRowAssembler.Create(reader.Schema, _file);
            using var batch = new ItemBatchBuilder();
            using var json = new Utf8JsonWriter(batch, WriterOptions);
            long reported = 0;
            for (var group = firstGroup; group < firstGroup + groups; group++)
            {
                using var rowGroup = reader.OpenRowGroupReader(group);
                var rows = rowGroup.RowCount;
                var columns = await ReadColumnsAsync(rowGroup, assembler, group, cancellationToken).ConfigureAwait(false);
                try
                {
                    for (long row = 0; row < rows; row++)
                    {
                        json.Reset(batch);
                        WriteRow(assembler, json, group, rowsBefore + row + 1);
                        json.Flush();
                        batch.Commit(new SourceRef(_file, rowsBefore + row + 1, SourceUnit.Row));
                        if (batch.IsFull)
                        {
                            yield return batch.Flush();
                        }
                    }

                    if (assembler.FindUnconsumedColumn() is { } column)
                    {
                        throw new CurationException(
                            $"{_file}: row group {group + 1}: column '{column}' holds more values than the row group's {rows} rows (corrupt file)");
                    }
                }
                finally
                {
                    foreach (var cursor in columns)
                    {
                        cursor.Dispose();
                    }
                }

                rowsBefore += rows;
                var done = progressBytes * (group - firstGroup + 1) / groups;
                progress?.Invoke(done - reported);
                reported = done;
            }

            progress?.Invoke(progressBytes - reported);
            if (batch.Count > 0)
            {
                yield return batch.Flush();
            }
        }
    }

    private async Task<ParquetReader> OpenAsync(Stream file, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(file, new ParquetOptions { UseDateOnlyTypeForDates = true }, leaveStreamOpen: true, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new CurationException($"{_file}: not a valid Parquet file: {OneLine(e.Message)}", e);
        }
    }

    private async Task<List<ColumnCursor>> ReadColumnsAsync(ParquetRowGroupReader rowGroup, ParquetRowAssembler assembler, int group, CancellationToken cancellationToken)
    {
        var cursors = new List<ColumnCursor>(assembler.Leaves.Count);
        try
        {
            foreach (var leaf in assembler.Leaves)
            {
                try
                {
                    var data = await rowGroup.ReadRawColumnDataBaseAsync(leaf.Field, cancellationToken).ConfigureAwait(false);
                    var cursor = ColumnCursor.Create(leaf.Field, data, rowGroup.RowCount);
                    cursors.Add(cursor);
                    leaf.Cursor = cursor;
                }
                catch (Exception e) when (e is not OperationCanceledException and not CurationException)
                {
                    throw new CurationException($"{_file}: row group {group + 1}: cannot read column '{leaf.Field.Path}': {OneLine(e.Message)}", e);
                }
            }
        }
        catch
        {
            foreach (var cursor in cursors)
            {
                cursor.Dispose();
            }

            throw;
        }

        return cursors;
    }

    private void WriteRow(ParquetRowAssembler assembler, Utf8JsonWriter json, int group, long row)
    {
        try
        {
            assembler.WriteRow(json);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            throw new CurationException($"{_file}: row {row} (row group {group + 1}): the column levels do not add up (corrupt file): {OneLine(e.Message)}", e);
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
