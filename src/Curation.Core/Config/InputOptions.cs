using Curation.Core.Records;

namespace Curation.Core.Config;

/// <summary>One entry under <c>inputs:</c> of a pipeline file.</summary>
public sealed class InputOptions
{
    /// <summary>A file, a folder (every supported file beneath it) or a glob such as <c>data/**/*.jsonl.gz</c>. Relative to the pipeline file.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>Record shape; <c>auto</c> detects it per record.</summary>
    public InputFormat Format { get; init; } = InputFormat.Auto;

    /// <summary>
    /// Maps canonical field names to the input's own names, e.g. <c>prompt: question</c>, <c>response: answer</c>.
    /// Canonical names: id, system, prompt, response, instruction, input, output, messages, conversations, text.
    /// </summary>
    public Dictionary<string, string> Fields { get; init; } = [];

    /// <summary>Cell delimiter for CSV/TSV; default from the extension (comma, or tab for .tsv).</summary>
    public string? Delimiter { get; init; }

    /// <summary>
    /// The share of each of this entry's files that may be rejected when read before the run fails as untrustworthy;
    /// default the pipeline's <c>max_reject_fraction</c> (0.5).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double? MaxRejectFraction { get; init; }
}
