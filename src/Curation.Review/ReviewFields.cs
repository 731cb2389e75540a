namespace Curation.Review;

/// <summary>The task fields an export writes besides the conversation, and an import reads back.</summary>
public static class ReviewFields
{
    public const string RecordId = "record_id";
    public const string Batch = "review_batch";
    /// <summary>Why the record was chosen for review (not "reason": that is the reviewers' question).</summary>
    public const string SelectedBecause = "selected_because";
    public const string Stage = "stage";
    public const string Source = "source";
    public const string Messages = "messages";
    public const string Prompt = "prompt";
    public const string Response = "response";
    public const string LeftId = "left_id";
    public const string RightId = "right_id";
    public const string Left = "left";
    public const string Right = "right";
    public const string Jaccard = "jaccard";
}
