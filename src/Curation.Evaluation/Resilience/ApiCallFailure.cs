namespace Curation.Evaluation.Resilience;

/// <summary>
/// One failed attempt, classified. Thrown inside the resilience pipeline only, so that retry and circuit breaker see
/// the kind; it never leaves an arm.
/// </summary>
internal sealed class ApiCallFailure : Exception
{
    public ApiCallFailure(string kind, int? status, TimeSpan? retryAfter, Exception? innerException)
        : base(innerException is null ? kind : $"{kind}: {innerException.Message}", innerException)
    {
        Kind = kind;
        Status = status;
        RetryAfter = retryAfter;
    }

    public string Kind { get; }

    /// <summary>The HTTP status, when the endpoint answered with one.</summary>
    public int? Status { get; }

    /// <summary>The wait the endpoint advised (<c>Retry-After</c>), when it gave one.</summary>
    public TimeSpan? RetryAfter { get; }

    public bool IsTransient => ErrorKinds.IsTransient(Kind, Status);
}
