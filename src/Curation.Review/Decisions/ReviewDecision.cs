using System.Collections.Immutable;
using Curation.Core.Records;

namespace Curation.Review.Decisions;

/// <summary>
/// The reviewers' decision about one record, keyed by its stable id: what the <c>apply-review</c> stage applies on
/// every run. Votes and agreement say how sure it is; <see cref="File"/> and <see cref="Task"/> say where it came from.
/// </summary>
public sealed record ReviewDecision
{
    public required string RecordId { get; init; }

    public required Verdict Verdict { get; init; }

    /// <summary>A reviewer's rewrite of the last assistant turn; null when the answer stands.</summary>
    public string? Correction { get; init; }

    /// <summary>A reviewer's rewrite of the whole conversation (chat annotation); null when none.</summary>
    public ImmutableArray<Message>? Conversation { get; init; }

    /// <summary>Mean 1-5 rating of the reviewers who rated; null when nobody did.</summary>
    public double? Rating { get; init; }

    public string? Reason { get; init; }

    /// <summary>Everyone whose response counted, sorted.</summary>
    public ImmutableArray<string> Reviewers { get; init; } = [];

    public int AcceptVotes { get; init; }

    public int RejectVotes { get; init; }

    /// <summary>Share of counted responses that agree with the verdict (1 when alone or unanimous).</summary>
    public double Agreement { get; init; } = 1;

    /// <summary>How a tie was settled, when there was one.</summary>
    public string? Tie { get; init; }

    /// <summary>The review batch the task was exported in; null for imports mapped from another tool's project.</summary>
    public string? Batch { get; init; }

    public required string Tool { get; init; }

    public required string File { get; init; }

    /// <summary>The task, record or row in the imported file.</summary>
    public required string Task { get; init; }

    /// <summary>True when the decision changes the record's text.</summary>
    public bool Corrects => Correction is not null || Conversation is not null;

    /// <summary>Same decision, ignoring where it was imported from.</summary>
    public bool SameDecisionAs(ReviewDecision other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return RecordId == other.RecordId && Verdict == other.Verdict && Correction == other.Correction
            && ConversationEquals(Conversation, other.Conversation) && Rating == other.Rating && Reason == other.Reason
            && Reviewers.SequenceEqual(other.Reviewers) && AcceptVotes == other.AcceptVotes && RejectVotes == other.RejectVotes;
    }

    private static bool ConversationEquals(ImmutableArray<Message>? left, ImmutableArray<Message>? right) =>
        left is null ? right is null : right is not null && left.Value.SequenceEqual(right.Value);
}
