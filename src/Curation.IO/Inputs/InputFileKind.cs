namespace Curation.IO.Inputs;

/// <summary>The container format of an input file, from its extension.</summary>
public enum InputFileKind
{
    /// <summary>.jsonl / .ndjson: one JSON value per line.</summary>
    JsonLines,

    /// <summary>.json: a top-level array, a single value, or JSON Lines.</summary>
    Json,

    /// <summary>.csv: comma-separated with a header row.</summary>
    Csv,

    /// <summary>.tsv: tab-separated with a header row.</summary>
    Tsv,

    /// <summary>.parquet.</summary>
    Parquet,
}
