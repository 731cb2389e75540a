using System.ComponentModel.DataAnnotations;

namespace Curation.Review.Apply;

/// <summary>What happens to a record that went to review but has no decision yet.</summary>
public enum UnreviewedPolicy
{
    /// <summary>It passes as the pipeline decided.</summary>
    Keep,

    /// <summary>It goes to the rejects (rule <c>unreviewed</c>).</summary>
    Drop,

    /// <summary>It goes to the rejects (rule <c>held-for-review</c>) until a decision comes in.</summary>
    Hold,
}

/// <summary>Which records the unreviewed policy covers.</summary>
public enum UnreviewedScope
{
    /// <summary>Records some export sent to review.</summary>
    Exported,

    /// <summary>Every record: the dataset holds only what reviewers accepted.</summary>
    All,
}

/// <summary>Options of the <c>apply-review</c> stage.</summary>
public sealed class ApplyReviewOptions
{
    /// <summary>The review store folder (decisions and exported batches), relative to the pipeline file.</summary>
    [Required]
    public string? Store { get; init; }

    public UnreviewedPolicy Unreviewed { get; init; } = UnreviewedPolicy.Keep;

    public UnreviewedScope UnreviewedScope { get; init; } = UnreviewedScope.Exported;

    /// <summary>Put back records an earlier stage rejected when reviewers accepted them.</summary>
    public bool Restore { get; init; } = true;
}
