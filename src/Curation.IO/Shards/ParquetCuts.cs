using Curation.IO.Readers.Parquet;
using Parquet;

namespace Curation.IO.Shards;

/// <summary>
/// Where a Parquet file can be cut: at the start of each row group after the first, with the rows before it, read
/// from the footer; and the file's SHA-256 from one sequential pass (its ranges are read without one).
/// </summary>
internal static class ParquetCuts
{
    /// <summary>Every place there is, in file order; null when the file cannot be cut (not Parquet, or row group starts unknown): it is then read whole.</summary>
    public static LineCutScan? Scan(string path)
    {
        var layout = Layout(path);
        if (layout is null || layout.Starts.Count < 2)
        {
            return null;
        }

        var cuts = new List<LineCut>(layout.Starts.Count - 1);
        long rows = layout.Rows[0];
        for (var group = 1; group < layout.Starts.Count; group++)
        {
            cuts.Add(new LineCut(layout.Starts[group], 0, rows));
            rows += layout.Rows[group];
        }

        var read = SequentialScan.Read(path, refuseCompressed: false, (_, _) => { });
        return read is { } file ? new LineCutScan(file.Bytes, file.Sha256, cuts) : null;
    }

    private static ParquetRowGroupLayout? Layout(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);

            // Only the footer is read, once, while the run is planned.
            return ReadLayoutAsync(file).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not readable as Parquet: the task that reads it whole fails the run saying so, as a single process does.
            return null;
        }
    }

    private static async Task<ParquetRowGroupLayout?> ReadLayoutAsync(Stream file)
    {
        var reader = await ParquetReader.CreateAsync(file, leaveStreamOpen: true).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return reader.Metadata is { } metadata ? ParquetRowGroupLayout.Of(metadata) : null;
        }
    }
}
