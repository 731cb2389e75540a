using Curation.Core.Records;

namespace Curation.Evaluation.Arms;

/// <summary>Generation settings of one call; part of the cache key.</summary>
internal sealed record CallParameters(int MaxTokens, double Temperature, double TopP, int? Seed);

/// <summary>One question to an arm: golden item <paramref name="Item"/> (index in the set), repeat <paramref name="Repeat"/>.</summary>
internal sealed record ArmCall(int Item, int Repeat, IReadOnlyList<Message> Messages, CallParameters Parameters);

/// <summary>
/// What an arm made of one call. A failed call has <see cref="Text"/> null and <see cref="Error"/> naming the kind of
/// failure (<c>http-429</c>, <c>http-500</c>, <c>timeout</c>, <c>malformed-response</c>, <c>connection-reset</c>,
/// <c>stream-cut</c>, <c>circuit-open</c>, ...), never a raw exception.
/// </summary>
/// <param name="InputTokens">Prompt tokens as the answering side counted them (usage), 0 when unknown.</param>
/// <param name="OutputTokens">Completion tokens as the answering side counted them.</param>
/// <param name="Latency">From the first attempt to the answer, on the run's <see cref="TimeProvider"/>.</param>
/// <param name="Attempts">Calls made, retries and fallbacks included; 0 for a cache hit.</param>
/// <param name="AnsweredBy">The model that answered: the arm's own, or a fallback's.</param>
internal sealed record ArmAnswer(
    string? Text, int InputTokens, int OutputTokens, TimeSpan Latency, int Attempts, string? Error, string AnsweredBy)
{
    public bool Failed => Text is null;

    /// <summary>The API's finish reason (<c>stop</c>, <c>length</c>), when it gave one.</summary>
    public string? FinishReason { get; init; }
}

/// <summary>An answer to one call, as arms hand them back: in the order calls finish, not the order given.</summary>
internal readonly record struct AnsweredCall(ArmCall Call, ArmAnswer Answer);
