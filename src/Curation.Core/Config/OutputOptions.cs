using Curation.Core.Records;

namespace Curation.Core.Config;

/// <summary>The <c>output:</c> section of a pipeline file.</summary>
public sealed class OutputOptions
{
    /// <summary>Folder for the data file, the rejects file and the manifest. Relative to the pipeline file.</summary>
    public string Dir { get; init; } = "out";

    public OutputFormat Format { get; init; } = OutputFormat.OpenAi;

    /// <summary>Compress JSONL output: none, gzip or zstd.</summary>
    public OutputCompression Compression { get; init; } = OutputCompression.None;

    /// <summary>The rejects file, relative to the output folder (a path outside it is allowed).</summary>
    public string Rejects { get; init; } = "rejects.jsonl";

    /// <summary>Write each record's id into JSONL output (key "id").</summary>
    public bool IncludeId { get; init; } = true;

    /// <summary>Write each record's metadata into JSONL output (key "metadata").</summary>
    public bool IncludeMetadata { get; init; } = true;
}

public enum OutputCompression
{
    None,
    Gzip,
    Zstd,
}
