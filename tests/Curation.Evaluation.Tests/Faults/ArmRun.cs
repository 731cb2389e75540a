using Curation.Core.Records;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Resilience;

namespace Curation.Evaluation.Tests.Faults;

/// <summary>Builds API arms against a fault server and runs calls through them on a <see cref="TestClock"/>.</summary>
internal static class ArmRun
{
    /// <summary>Distinct from every retry delay the tests use, so the clock tells attempt timeouts apart.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(97);

    public static ResilienceSettings Resilience(int maxRetries = 3, int concurrency = 1) => new()
    {
        Timeout = AttemptTimeout,
        MaxRetries = maxRetries,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(8),
        MaxConcurrency = concurrency,
        BreakerMinimumThroughput = 1000,
    };

    public static ApiArmSettings Settings(FaultServer server, ResilienceSettings resilience, bool stream = false, string model = "primary") =>
        new("api", new ApiTarget(server.BaseUrl, model)) { Stream = stream, Resilience = resilience };

    public static IReadOnlyList<ArmCall> Calls(int count) =>
        [.. Enumerable.Range(0, count).Select(item => new ArmCall(
            item, 0, [new Message("system", "Answer briefly."), new Message("user", $"Question {item}?")], new CallParameters(32, 0.0, 1.0, 7)))];

    /// <summary>Every answer the arm yields for <paramref name="calls"/>, in the order they finished.</summary>
    public static async Task<List<AnsweredCall>> AnswerAllAsync(IEvalArm arm, IReadOnlyList<ArmCall> calls, CancellationToken cancellationToken = default)
    {
        var answers = new List<AnsweredCall>();
        await foreach (var answer in arm.AnswerAsync(calls, cancellationToken))
        {
            answers.Add(answer);
        }

        return answers;
    }

    /// <summary>Runs the calls with fake time moved on whenever the arm waits (a retry delay, or a stalled request's timeout).</summary>
    public static Task<List<AnsweredCall>> RunAsync(IEvalArm arm, IReadOnlyList<ArmCall> calls, TestClock clock, FaultServer server) =>
        clock.RunAsync(AnswerAllAsync(arm, calls), () => server.Stalls);
}
