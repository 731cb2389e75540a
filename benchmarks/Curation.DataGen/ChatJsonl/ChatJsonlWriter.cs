using System.Buffers;
using System.Diagnostics;
using System.Globalization;

namespace Curation.DataGen.ChatJsonl;

/// <summary>Writes the large benchmark JSONL: chunks generated in parallel, written in order, memory bounded by the batch.</summary>
internal static class ChatJsonlWriter
{
    public static string Write(ChatJsonlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = Path.GetDirectoryName(Path.GetFullPath(options.OutputPath));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var workers = Math.Max(1, Environment.ProcessorCount);
        var buffers = Enumerable.Range(0, workers).Select(_ => new ArrayBufferWriter<byte>(8 << 20)).ToArray();
        var lineEnds = new int[workers][];
        var stopwatch = Stopwatch.StartNew();
        long written = 0;
        long records = 0;
        long chunk = 0;
        using (var file = new FileStream(options.OutputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.SequentialScan))
        {
            while (written < options.TargetBytes)
            {
                var first = chunk;
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                {
                    buffers[w].ResetWrittenCount();
                    lineEnds[w] = ChunkGenerator.Generate(first + w, options.Seed, options.AverageRecordBytes, buffers[w]);
                });
                chunk += workers;

                for (var w = 0; w < workers && written < options.TargetBytes; w++)
                {
                    var bytes = buffers[w].WrittenSpan;
                    var remaining = options.TargetBytes - written;
                    var take = bytes.Length;
                    var lines = lineEnds[w].Length;
                    if (bytes.Length > remaining)
                    {
                        lines = Array.FindIndex(lineEnds[w], end => end >= remaining) + 1;
                        take = lineEnds[w][lines - 1];
                    }

                    file.Write(bytes[..take]);
                    written += take;
                    records += lines;
                }
            }
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"{options.OutputPath}: {records:N0} records, {written:N0} bytes ({written / (double)records:F0} bytes/record) in {seconds:F1} s, {written / seconds / 1_000_000:F0} MB/s");
    }
}
