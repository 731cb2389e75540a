using System.ComponentModel.DataAnnotations;
using Curation.Core.Units;
using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near;

/// <summary>Options of the <c>near-dedup</c> stage.</summary>
public sealed class NearDedupOptions : IValidatableObject
{
    /// <summary>Jaccard similarity of shingle sets at or above which two records are duplicates.</summary>
    [Range(0.01, 1.0)]
    public double Threshold { get; init; } = LshParameters.DefaultThreshold;

    /// <summary>MinHash signature length.</summary>
    [Range(8, 1024)]
    public int NumPerm { get; init; } = MinHashSigner.DefaultPermutations;

    /// <summary>Word n-gram size; set <c>char_ngram</c> instead for character n-grams.</summary>
    [Range(1, 64)]
    public int Ngram { get; init; } = Shingler.DefaultSize;

    /// <summary>Character n-gram size (for text without word boundaries, or code); 0 means word n-grams.</summary>
    [Range(0, 64)]
    public int CharNgram { get; init; }

    /// <summary>LSH bands; with <c>rows</c>, overrides the bands and rows derived from the threshold.</summary>
    public int? Bands { get; init; }

    /// <summary>LSH rows per band; set together with <c>bands</c>.</summary>
    public int? Rows { get; init; }

    /// <summary>Check every candidate pair's exact Jaccard, so that recall-leaning banding costs no precision.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>Which member of a cluster is kept: first, longest or field.</summary>
    public KeepPolicy Keep { get; init; } = KeepPolicy.First;

    /// <summary>
    /// <c>drop</c> (default) rejects every member of a cluster but the kept one; <c>mark</c> keeps them all, each with its
    /// cluster's <c>cluster_id</c> and <c>cluster_size</c>, and the dropped ones also with <c>near_duplicate_of</c> and
    /// <c>near_duplicate_jaccard</c>, so that a <c>split</c> stage can keep a cluster in one split.
    /// </summary>
    public NearDedupAction Action { get; init; } = NearDedupAction.Drop;

    /// <summary>With <c>keep: field</c>: the numeric metadata field whose highest value wins (e.g. a quality score).</summary>
    public string? KeepField { get; init; }

    /// <summary>Lower-case before shingling.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Drop punctuation before shingling.</summary>
    public bool StripPunctuation { get; init; } = true;

    /// <summary>
    /// With <c>strip_punctuation</c>: punctuation becomes a space rather than being deleted, so the words it joins
    /// ("end.Next", "foo/bar") stay apart, as a split on non-word characters (datasketch's usual tokenisation) does.
    /// Chosen by the accuracy benchmark (benchmarks/dedup-accuracy.md). Default <c>true</c>.
    /// </summary>
    public bool PunctuationAsSpace { get; init; } = true;

    /// <summary>Map every digit to 0 before shingling.</summary>
    public bool FoldDigits { get; init; }

    /// <summary>Remove accents before shingling.</summary>
    public bool StripDiacritics { get; init; } = true;

    /// <summary>Optional JSONL file (relative to the output folder) listing every cluster of two or more with its members.</summary>
    public string? Clusters { get; init; }

    /// <summary>
    /// Write an index of the records this stage keeps (relative to the output folder), for a later run's
    /// <c>against</c>: e.g. index the evaluation set, then deduplicate training data against it.
    /// </summary>
    public string? SaveIndex { get; init; }

    /// <summary>
    /// An index written by <c>save_index</c> (relative to the pipeline file): drop only records that near-duplicate
    /// a record of that index; records are not compared with each other. Signature settings must match the index's.
    /// </summary>
    public string? Against { get; init; }

    /// <summary>
    /// Memory the LSH index may use for band keys (e.g. <c>2GB</c>) before it writes sorted runs to disk (under
    /// <c>$TMPDIR</c>) and merges them; default: no limit. Records' ids and sources are on disk, not in memory.
    /// </summary>
    public string? MemoryBudget { get; init; }

    /// <summary>Seed of the permutation family; default: the pipeline's seed.</summary>
    public long? Seed { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Bands.HasValue != Rows.HasValue)
        {
            yield return new ValidationResult("set both 'bands' and 'rows', or neither", [nameof(Bands)]);
        }
        else if (Bands is { } bands && Rows is { } rows && (bands < 1 || rows < 1 || bands * rows > NumPerm))
        {
            yield return new ValidationResult($"bands × rows must be between 1 and num_perm ({NumPerm}), got {bands} × {rows}", [nameof(Bands)]);
        }

        if (MemoryBudget is not null && !ByteSize.TryParse(MemoryBudget, out _))
        {
            yield return new ValidationResult($"expected a size such as {ByteSize.Examples}, got '{MemoryBudget}'", [nameof(MemoryBudget)]);
        }

        if (Keep == KeepPolicy.Field && string.IsNullOrWhiteSpace(KeepField))
        {
            yield return new ValidationResult("'keep: field' needs 'keep_field', the numeric metadata field to rank by", [nameof(KeepField)]);
        }
    }

    internal long? MemoryBudgetBytes => ByteSize.TryParse(MemoryBudget, out var bytes) ? bytes : null;

    internal LshParameters Lsh => Bands is { } bands && Rows is { } rows
        ? LshParameters.Explicit(bands, rows, NumPerm)
        : Verify ? LshParameters.ForRecall(Threshold, NumPerm) : LshParameters.Optimal(Threshold, NumPerm);
}
