using Curation.Evaluation.Arms;

namespace Curation.Evaluation.Store;

/// <summary>Where a run stands: <see cref="Running"/> until it is finished one way or the other.</summary>
internal enum RunStatus
{
    Running,
    Completed,
    Interrupted,
}

/// <summary>One evaluation run as the log holds it.</summary>
/// <param name="ConfigHash">A hash of the evaluation config the run used, so runs of one config can be compared.</param>
/// <param name="Arms">The arms' names, in config order.</param>
internal sealed record RunRecord(
    string RunId, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string ConfigHash, RunStatus Status, IReadOnlyList<string> Arms);

/// <summary>One finished call of a run.</summary>
/// <param name="Cost">What the call cost, in the currency of the config's prices; null when the arm has no price.</param>
/// <param name="CacheHit">Whether the answer came from the response cache (no call made).</param>
internal sealed record CallRecord(
    string Arm,
    string ItemId,
    int Repeat,
    string PromptVersion,
    int InputTokens,
    int OutputTokens,
    TimeSpan Latency,
    double? Cost,
    int Attempts,
    bool CacheHit,
    string? Error,
    string AnsweredBy,
    string? Text)
{
    public string? FinishReason { get; init; }

    /// <summary>The record of <paramref name="answer"/>; a cache hit is an answer of no attempts.</summary>
    public static CallRecord Of(string arm, string itemId, int repeat, string promptVersion, ArmAnswer answer, double? cost) =>
        new(arm, itemId, repeat, promptVersion, answer.InputTokens, answer.OutputTokens, answer.Latency, cost, answer.Attempts,
            answer.Attempts == 0, answer.Error, answer.AnsweredBy, answer.Text)
        {
            FinishReason = answer.FinishReason,
        };
}
