namespace Curation.Evaluation.Arms;

/// <summary>
/// Something that answers golden items: a local model (base or base + adapter) or an OpenAI-compatible endpoint.
/// Arms never throw for a failed call: the failure is an <see cref="ArmAnswer"/> with an error kind, so one bad
/// endpoint never aborts a run.
/// </summary>
internal interface IEvalArm : IAsyncDisposable
{
    /// <summary>The arm's name in the config, reports and gates (<c>finetuned</c>, <c>gpt-4o-mini</c>).</summary>
    string Name { get; }

    /// <summary>What answers, for cache keys: endpoint and model, or a local model folder and adapter hash.</summary>
    string Identity { get; }

    /// <summary>
    /// Answers every call, yielding each as it finishes so the caller can record it at once (Ctrl+C keeps what
    /// finished). Cancellation stops starting new calls and ends the enumeration.
    /// </summary>
    IAsyncEnumerable<AnsweredCall> AnswerAsync(IReadOnlyList<ArmCall> calls, CancellationToken cancellationToken);
}
