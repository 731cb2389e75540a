namespace Curation.Review.Decisions;

/// <summary>What reviewers decided about one record.</summary>
public enum Verdict
{
    /// <summary>The record belongs in the dataset (possibly with a corrected answer).</summary>
    Accept,

    /// <summary>The record does not belong in the dataset.</summary>
    Reject,
}
