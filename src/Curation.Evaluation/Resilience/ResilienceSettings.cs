using Curation.Core;

namespace Curation.Evaluation.Resilience;

/// <summary>
/// How an arm treats a failing endpoint: a timeout per attempt, retries with exponential backoff and jitter (or the
/// wait the endpoint advises), a circuit breaker per endpoint and model, and a limit on calls in flight.
/// </summary>
internal sealed record ResilienceSettings
{
    /// <summary>Longest wait for one attempt, a streamed answer read to its end included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after the first attempt, per model of the fallback chain.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Backoff of the first retry; each later one doubles it, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of a backoff the arm computes (not of a wait the endpoint advises).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An advised wait longer than this is not waited for: the attempt fails and the next model is tried.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Calls of the arm in flight at once (each with its retries and fallbacks).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Share of failed attempts in the sampling window that opens the circuit.</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>Attempts the sampling window must hold before the circuit may open.</summary>
    public int BreakerMinimumThroughput { get; init; } = 10;

    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls fast before it lets one through to probe the endpoint.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws a one-line <see cref="CurationException"/> naming the first setting out of range.</summary>
    public void Validate(string arm)
    {
        var day = TimeSpan.FromDays(1);
        var halfSecond = TimeSpan.FromMilliseconds(500);
        Require(Timeout >= TimeSpan.FromMilliseconds(10) && Timeout <= day, "timeout", "must be 10 ms to 1 day");
        Require(MaxRetries is >= 0 and <= 100, "max_retries", "must be 0 to 100");
        Require(BaseDelay > TimeSpan.Zero && BaseDelay <= day, "base_delay", "must be above 0 and at most 1 day");
        Require(MaxDelay >= BaseDelay && MaxDelay <= day, "max_delay", "must be base_delay to 1 day");
        Require(MaxRetryAfter >= TimeSpan.Zero && MaxRetryAfter <= day, "max_retry_after", "must be 0 to 1 day");
        Require(MaxConcurrency is >= 1 and <= 1024, "concurrency", "must be 1 to 1024");
        Require(BreakerFailureRatio is > 0 and <= 1, "breaker_failure_ratio", "must be above 0 and at most 1");
        Require(BreakerMinimumThroughput >= 2, "breaker_minimum_throughput", "must be at least 2");
        Require(BreakerSamplingDuration >= halfSecond && BreakerSamplingDuration <= day, "breaker_sampling_duration", "must be 0.5 s to 1 day");
        Require(BreakDuration >= halfSecond && BreakDuration <= day, "break_duration", "must be 0.5 s to 1 day");

        void Require(bool holds, string setting, string expected)
        {
            if (!holds)
            {
                throw new CurationException($"arm '{arm}': {setting} {expected}");
            }
        }
    }
}
