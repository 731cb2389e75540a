using Parquet.Meta;

namespace Curation.IO.Readers.Parquet;

/// <summary>
/// Where each row group of a Parquet file starts (its first page, dictionary or data, from the footer) and how many
/// rows it holds: what a planner cuts the file at and what a range reader picks its row groups by.
/// </summary>
internal sealed record ParquetRowGroupLayout(IReadOnlyList<long> Starts, IReadOnlyList<long> Rows)
{
    /// <summary>Null when a row group's start is not in the footer, or the starts do not rise in file order.</summary>
    public static ParquetRowGroupLayout? Of(FileMetaData metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var starts = new List<long>(metadata.RowGroups.Count);
        var rows = new List<long>(metadata.RowGroups.Count);
        foreach (var group in metadata.RowGroups)
        {
            long? start = null;
            foreach (var column in group.Columns)
            {
                if (column.MetaData is not { } chunk)
                {
                    return null;
                }

                var first = chunk.DictionaryPageOffset is { } dictionary && dictionary > 0 && dictionary < chunk.DataPageOffset ? dictionary : chunk.DataPageOffset;
                start = start is null ? first : Math.Min(start.Value, first);
            }

            if (start is not { } found || (starts.Count > 0 && found <= starts[^1]))
            {
                return null;
            }

            starts.Add(found);
            rows.Add(group.NumRows);
        }

        return new ParquetRowGroupLayout(starts, rows);
    }

    /// <summary>The row groups whose first page lies in [<paramref name="start"/>, <paramref name="end"/>), and the rows of those before them.</summary>
    public (int First, int Count, long RowsBefore) Within(long start, long end)
    {
        var first = 0;
        long rowsBefore = 0;
        while (first < Starts.Count && Starts[first] < start)
        {
            rowsBefore += Rows[first];
            first++;
        }

        var last = first;
        while (last < Starts.Count && Starts[last] < end)
        {
            last++;
        }

        return (first, last - first, rowsBefore);
    }
}
