using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Curation.Evaluation.Resilience;

/// <summary>
/// The Polly pipeline around the attempts at one endpoint and model: retry (outermost) over a circuit breaker over a
/// timeout per attempt. Each retried attempt reaches the callback given to <see cref="Build"/> as its error kind.
/// </summary>
internal static class CallPipeline
{
    public static ResiliencePipeline Build(ResilienceSettings settings, TimeProvider timeProvider, Action<string> onFailedAttempt)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, settings.MaxRetryAfter)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ApiCallFailure { RetryAfter: { } advised } ? advised : (TimeSpan?)null),
                OnRetry = args =>
                {
                    onFailedAttempt(KindOf(args.Outcome.Exception));
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = settings.BreakerFailureRatio,
                MinimumThroughput = settings.BreakerMinimumThroughput,
                SamplingDuration = settings.BreakerSamplingDuration,
                BreakDuration = settings.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsEndpointFault(args.Outcome.Exception)),
            })
            .AddTimeout(settings.Timeout)
            .Build();
    }

    /// <summary>The error kind of an exception that left the pipeline or one of its attempts.</summary>
    public static string KindOf(Exception? exception) => exception switch
    {
        ApiCallFailure failure => failure.Kind,
        TimeoutRejectedException => ErrorKinds.Timeout,
        BrokenCircuitException => ErrorKinds.CircuitOpen,
        _ => ErrorKinds.Unexpected,
    };

    private static bool ShouldRetry(Exception? exception, TimeSpan maxRetryAfter) => exception switch
    {
        ApiCallFailure failure => failure.IsTransient && !(failure.RetryAfter > maxRetryAfter),
        TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>
    /// What the circuit counts against the endpoint: server errors, timeouts, broken transfers. A 429 is not one: the
    /// endpoint is up and says when to come back, which the retry honours; counting it would turn a busy server into
    /// calls failed fast.
    /// </summary>
    private static bool IsEndpointFault(Exception? exception) =>
        exception is TimeoutRejectedException || exception is ApiCallFailure { IsTransient: true, Status: not 429 };
}
