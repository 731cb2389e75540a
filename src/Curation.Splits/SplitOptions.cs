using System.ComponentModel.DataAnnotations;
using Curation.Core.Config;
using Curation.Core.Records;

namespace Curation.Splits;

/// <summary>Options of the <c>split</c> stage.</summary>
public sealed class SplitOptions : IValidatableObject
{
    /// <summary>Split names and their shares of the records, summing to 1, in the order they are allocated (e.g. <c>{train: 0.8, validation: 0.1, test: 0.1}</c>).</summary>
    public Dictionary<string, string> Splits { get; init; } = new(StringComparer.Ordinal)
    {
        ["train"] = "0.8",
        ["validation"] = "0.1",
        ["test"] = "0.1",
    };

    /// <summary>
    /// <c>source</c> (the record's input file) or <c>tag:FIELD</c> (a metadata field's value): each stratum is split by
    /// the ratios on its own, exactly up to rounding. Default: one stratum.
    /// </summary>
    public string? Stratify { get; init; }

    /// <summary>
    /// The metadata field whose value keeps records together in one split; records without it are their own group.
    /// Default <c>cluster_id</c>, which near-dedup writes (with <c>action: mark</c>, on every member of a cluster).
    /// </summary>
    public string Group { get; init; } = "cluster_id";

    /// <summary>The metadata field the split's name is written to.</summary>
    public string Field { get; init; } = "split";

    /// <summary>Folder, relative to the output folder, for one file per split (<c>train.jsonl</c>, ...).</summary>
    public string Dir { get; init; } = "splits";

    /// <summary>Format of the split files; set it as <c>output.format</c> is set.</summary>
    public OutputFormat Format { get; init; } = OutputFormat.OpenAi;

    /// <summary>Compression of JSONL split files; set it as <c>output.compression</c> is set.</summary>
    public OutputCompression Compression { get; init; } = OutputCompression.None;

    /// <summary>Write each record's id into the split files (as <c>output.include_id</c>).</summary>
    public bool IncludeId { get; init; } = true;

    /// <summary>Write each record's metadata into the split files (as <c>output.include_metadata</c>).</summary>
    public bool IncludeMetadata { get; init; } = true;

    /// <summary>Seed of the group hash; default: the pipeline's seed.</summary>
    public long? Seed { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SplitRatios.TryParse(Splits, out _, out var error))
        {
            yield return new ValidationResult(error, [nameof(Splits)]);
        }

        if (Stratify is not null && !Stratum.TryParse(Stratify, out _))
        {
            yield return new ValidationResult($"expected 'source' or 'tag:FIELD', got '{Stratify}'", [nameof(Stratify)]);
        }

        if (string.IsNullOrWhiteSpace(Group))
        {
            yield return new ValidationResult("expected a metadata field name", [nameof(Group)]);
        }

        if (string.IsNullOrWhiteSpace(Field))
        {
            yield return new ValidationResult("expected a metadata field name", [nameof(Field)]);
        }

        if (string.IsNullOrWhiteSpace(Dir))
        {
            yield return new ValidationResult("expected a folder", [nameof(Dir)]);
        }

        if (Format == OutputFormat.Parquet && Compression != OutputCompression.None)
        {
            yield return new ValidationResult("compression applies to JSONL split files only; parquet files are compressed inside", [nameof(Compression)]);
        }
    }
}
