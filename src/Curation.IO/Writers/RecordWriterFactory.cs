using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.IO.Writers;

/// <summary>Creates the writers of a run's output folder: the data file named after its format, and rejects.jsonl.</summary>
public static class RecordWriterFactory
{
    public const string RejectsFileName = "rejects.jsonl";

    /// <summary>data.jsonl, data.jsonl.gz, data.jsonl.zst or data.parquet.</summary>
    public static string DataFileName(OutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Format == OutputFormat.Parquet)
        {
            return "data.parquet";
        }

        return options.Compression switch
        {
            OutputCompression.Gzip => "data.jsonl.gz",
            OutputCompression.Zstd => "data.jsonl.zst",
            _ => "data.jsonl",
        };
    }

    /// <summary>The data writer for <paramref name="options"/>, writing into <paramref name="outputDirectory"/> (created when missing).</summary>
    /// <exception cref="CurationException">Compression was asked for Parquet output, which compresses inside the file.</exception>
    public static IRecordWriter<ChatRecord> Create(RunOutputs outputs, OutputOptions options, string outputDirectory, JsonlEncodingOptions? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var path = DataPath(options, outputDirectory);
        if (options.Format != OutputFormat.Parquet)
        {
            return new JsonlRecordWriter(outputs, path, options.Format, options.Compression, encoding);
        }

        if (options.Compression != OutputCompression.None)
        {
            throw new CurationException(
                "output: compression applies to JSONL output only; parquet files are compressed inside (snappy), so set compression: none");
        }

        return new ParquetRecordWriter(outputs, path);
    }

    /// <summary>Where the data file goes: <see cref="DataFileName"/> in <paramref name="outputDirectory"/>.</summary>
    public static string DataPath(OutputOptions options, string outputDirectory) => Path.Combine(outputDirectory, DataFileName(options));

    /// <summary>Where the rejects file goes: <c>output.rejects</c> (default rejects.jsonl) relative to <paramref name="outputDirectory"/>.</summary>
    public static string RejectsPath(OutputOptions options, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.GetFullPath(options.Rejects, outputDirectory);
    }

    /// <summary>The rejects writer, writing <paramref name="path"/>.</summary>
    public static IRecordWriter<Reject> CreateRejects(RunOutputs outputs, string path)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new RejectsWriter(outputs, path);
    }
}
