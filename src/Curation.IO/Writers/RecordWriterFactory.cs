using Curation.Core;
using Curation.Core.Config;
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
    public static IRecordWriter<ChatRecord> Create(OutputOptions options, string outputDirectory, JsonlEncodingOptions? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var path = Path.Combine(outputDirectory, DataFileName(options));
        if (options.Format != OutputFormat.Parquet)
        {
            return new JsonlRecordWriter(path, options.Format, options.Compression, encoding);
        }

        if (options.Compression != OutputCompression.None)
        {
            throw new CurationException(
                "output: compression applies to JSONL output only; parquet files are compressed inside (snappy), so set compression: none");
        }

        return new ParquetRecordWriter(path);
    }

    /// <summary>The rejects writer, writing <paramref name="fileName"/> (default rejects.jsonl) relative to <paramref name="outputDirectory"/>.</summary>
    public static IRecordWriter<Reject> CreateRejects(string outputDirectory, string fileName = RejectsFileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var path = Path.GetFullPath(fileName, outputDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new RejectsWriter(path);
    }
}
