using Curation.Core.Records;

namespace Curation.Evaluation.Golden;

/// <summary>
/// One item of a golden set: the conversation the arms answer, and what a good answer is measured against. Every
/// check is optional; a metric that needs one the item lacks does not score that item.
/// </summary>
/// <param name="Id">The item's id, stable across runs: cache keys, the run log and reports name items by it.</param>
/// <param name="Prompt">The conversation up to the answer (system and user turns, earlier assistant turns).</param>
/// <param name="Expected">The reference answer, when the item has one.</param>
/// <param name="Tags">Tags for per-tag breakdowns, in the order the item gives them.</param>
internal sealed record GoldenItem(string Id, IReadOnlyList<Message> Prompt, string? Expected, IReadOnlyList<string> Tags)
{
    /// <summary>A JSON Schema (as JSON text) the answer must conform to.</summary>
    public string? Schema { get; init; }

    /// <summary>A regular expression whose first group (or whole match) is the answer to compare with <see cref="Expected"/>.</summary>
    public string? Pattern { get; init; }

    /// <summary>Choice labels of a multiple-choice item (A, B, C, ...); <see cref="Expected"/> is the right label.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];
}
