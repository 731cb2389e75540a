using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.Review.Import;

/// <summary>Whether a reviewer's response counts.</summary>
public enum ResponseStatus
{
    /// <summary>Submitted: the response votes.</summary>
    Submitted,

    /// <summary>Saved but not submitted (Label Studio draft, Argilla draft or a response without a status): not counted.</summary>
    Draft,

    /// <summary>The reviewer set the record aside (Argilla discarded): not counted.</summary>
    Discarded,

    /// <summary>The reviewer skipped the task (Label Studio cancelled / skipped): not counted.</summary>
    Cancelled,

    /// <summary>A Label Studio reviewer rejected this annotation: not counted.</summary>
    RejectedInReview,
}

/// <summary>One reviewer's answer to one question: choices, a rating, texts, chat turns or a pairwise side.</summary>
public sealed record Answer
{
    public ImmutableArray<string> Choices { get; init; } = [];

    public double? Rating { get; init; }

    public ImmutableArray<string> Texts { get; init; } = [];

    public ImmutableArray<Message> Chat { get; init; } = [];

    /// <summary>"left" or "right" for a pairwise question.</summary>
    public string? Selected { get; init; }

    /// <summary>Label Studio's origin: "prediction" (pre-filled value kept), "prediction-changed" (edited) or "manual".</summary>
    public string? Origin { get; init; }
}

/// <summary>One reviewer's response to a task: an answer per question name.</summary>
public sealed record ReviewerResponse(string Reviewer, ResponseStatus Status, ImmutableSortedDictionary<string, Answer> Answers)
{
    /// <summary>Label Studio's ground truth flag: this response settles the task.</summary>
    public bool GroundTruth { get; init; }

    /// <summary>True when the export stated no status and the tool's own rule made it a draft (Argilla's to_disk).</summary>
    public bool StatusUnstated { get; init; }
}

/// <summary>A task or record of an export, as any tool wrote it: its data and every reviewer's response.</summary>
/// <param name="Where">File and task, record or row, for messages.</param>
/// <param name="Data">The task's data (Label Studio) or fields and metadata (Argilla).</param>
public sealed record ReviewedTask(string Where, ImmutableSortedDictionary<string, JsonElement> Data, ImmutableArray<ReviewerResponse> Responses)
{
    /// <summary>Drafts kept beside the responses (Label Studio's task-level drafts); never counted.</summary>
    public int Drafts { get; init; }

    /// <summary>The task id in the tool, for the decision's provenance.</summary>
    public required string TaskId { get; init; }
}
