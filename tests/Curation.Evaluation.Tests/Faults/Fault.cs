namespace Curation.Evaluation.Tests.Faults;

/// <summary>What the fault server does with one request.</summary>
internal abstract record Fault
{
    /// <summary>A well-formed answer (JSON, or server-sent events when the request streams).</summary>
    public sealed record Answer(string Text, string FinishReason = "stop", int PromptTokens = 11, int CompletionTokens = 7) : Fault;

    /// <summary>An error status, with a <c>Retry-After</c> header when <paramref name="RetryAfter"/> is set.</summary>
    public sealed record Status(int Code, string? RetryAfter = null) : Fault;

    /// <summary>No answer until the client gives up (bounded on the wall clock so a broken test ends).</summary>
    public sealed record Stall : Fault;

    /// <summary>Status 200 with JSON cut off mid-object (a stream: an event whose data is not JSON).</summary>
    public sealed record Malformed : Fault;

    /// <summary>The connection dropped before any response.</summary>
    public sealed record Reset : Fault;

    /// <summary>A streamed answer whose connection drops after its first words, before any finish reason.</summary>
    public sealed record Cut(string Text) : Fault;

    /// <summary>A streamed answer that ends cleanly after its first words, with neither a finish reason nor <c>[DONE]</c>.</summary>
    public sealed record EndEarly(string Text) : Fault;

    /// <summary>An answer held until the test releases <paramref name="Gate"/>.</summary>
    public sealed record Held(string Text, SemaphoreSlim Gate) : Fault;
}
