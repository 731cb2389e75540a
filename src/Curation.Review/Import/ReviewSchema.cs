using System.Collections.Immutable;

namespace Curation.Review.Import;

/// <summary>How a tie between accept and reject votes is settled.</summary>
public enum TieRule
{
    /// <summary>Reject: a record stays out until reviewers agree it belongs.</summary>
    Reject,

    /// <summary>Accept: a record stays in unless reviewers agree it does not.</summary>
    Accept,

    /// <summary>No decision: the record counts as unreviewed.</summary>
    Skip,
}

/// <summary>What a pairwise answer (which of two records shown side by side) does.</summary>
public enum PairwiseUse
{
    /// <summary>The chosen record is accepted and the other rejected; the preference is recorded too.</summary>
    Keep,

    /// <summary>Only the preference is recorded: both records stay as they are, for preference tuning.</summary>
    Preference,
}

/// <summary>What a question's answer holds, so that an answer of another type is an error naming it.</summary>
public enum QuestionKind
{
    /// <summary>One choice or several (a string or a list of strings).</summary>
    Choice,

    /// <summary>Free text.</summary>
    Text,

    /// <summary>A number (1-5).</summary>
    Rating,

    /// <summary>A pairwise side: left or right.</summary>
    Pairwise,

    /// <summary>Chat messages, each with a role and a content.</summary>
    Chat,
}

/// <summary>
/// Which task fields and question names an import reads. The defaults are what <c>curate review export</c> writes;
/// another project's export is read by naming its id field and questions.
/// </summary>
public sealed record ReviewSchema
{
    public string IdField { get; init; } = "record_id";

    public string BatchField { get; init; } = "review_batch";

    public string Decision { get; init; } = "decision";

    public ImmutableArray<string> AcceptValues { get; init; } = ["accept"];

    public ImmutableArray<string> RejectValues { get; init; } = ["reject"];

    public string Rating { get; init; } = "rating";

    public string Correction { get; init; } = "correction";

    public string Reason { get; init; } = "reason";

    /// <summary>A chat question whose turns replace the conversation; null when the project has none.</summary>
    public string? Chat { get; init; }

    public string Duplicate { get; init; } = "duplicate";

    /// <summary>The pairwise question: which of the two records shown side by side is better (or to keep).</summary>
    public string Keep { get; init; } = "keep";

    /// <summary>The task fields holding the ids of the records shown on the left and on the right of a pair.</summary>
    public string LeftIdField { get; init; } = ReviewFields.LeftId;

    public string RightIdField { get; init; } = ReviewFields.RightId;

    /// <summary>The pairwise answers that mean left and right (Label Studio's leftChoiceValue / rightChoiceValue).</summary>
    public string LeftValue { get; init; } = "left";

    public string RightValue { get; init; } = "right";

    public PairwiseUse Pairwise { get; init; } = PairwiseUse.Keep;

    /// <summary>The task field holding the answer the correction was pre-filled with.</summary>
    public string OriginalResponseField { get; init; } = "response";

    public TieRule Ties { get; init; } = TieRule.Reject;

    /// <summary>True when the ids come from another project's field: the batch checks of our own exports are skipped.</summary>
    public bool Foreign { get; init; }

    /// <summary>What <paramref name="question"/> asks for; a name that is none of the questions is read as a choice.</summary>
    public QuestionKind KindOf(string question) =>
        question == Rating ? QuestionKind.Rating
        : question == Chat ? QuestionKind.Chat
        : question == Keep ? QuestionKind.Pairwise
        : question == Correction || question == Reason ? QuestionKind.Text
        : QuestionKind.Choice;

    /// <summary>Question names, for reading exports that flatten answers into columns.</summary>
    public IEnumerable<string> Questions => new[] { Decision, Rating, Correction, Reason, Chat, Duplicate, Keep }.OfType<string>();

    /// <summary>The task fields an import reads; readers keep only these, so a large export is not held in memory.</summary>
    public IReadOnlySet<string> DataFields => new HashSet<string>([IdField, BatchField, OriginalResponseField, LeftIdField, RightIdField], StringComparer.Ordinal);

    public const string Duplicated = "duplicate";
    public const string Distinct = "distinct";
}
