using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Resilience;
using Curation.Evaluation.Tests.Faults;

namespace Curation.Evaluation.Tests;

/// <summary>The API arm against a fault server: every failure kind, retries, advised waits, the circuit, fallbacks.</summary>
public sealed class ApiArmFaultTests
{
    private readonly TestClock _clock = new(ArmRun.AttemptTimeout);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryKindOfFault_IsRetried_CountedByKind_AndTheRunCompletes(bool stream)
    {
        Fault[] faults =
        [
            new Fault.Status(429, RetryAfter: "2"), new Fault.Status(500), new Fault.Status(503), new Fault.Stall(), new Fault.Malformed(), new Fault.Reset(),
            .. stream ? [new Fault.Cut("The answer")] : Array.Empty<Fault>(),
        ];
        await using var server = await FaultServer.StartAsync(FaultServer.Sequence(faults), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(maxRetries: faults.Length), stream), _clock);

        var answers = await ArmRun.RunAsync(arm, ArmRun.Calls(4), _clock, server);

        Assert.Equal(4, answers.Count);
        Assert.Equal([0, 1, 2, 3], answers.Select(answered => answered.Call.Item).Order());
        Assert.All(answers, answered => Assert.False(answered.Answer.Failed, answered.Answer.Error));
        var first = answers.Single(answered => answered.Call.Item == 0).Answer;
        Assert.Equal(faults.Length + 1, first.Attempts);
        Assert.Equal($"answer {faults.Length}", first.Text);
        Assert.All(answers.Where(answered => answered.Call.Item > 0), answered => Assert.Equal(1, answered.Answer.Attempts));
        Assert.Equal(faults.Length + 4, server.Count);
        Assert.Equal(faults.Length, _clock.DelaysWaited.Count);
        var expected = new SortedDictionary<string, int>(StringComparer.Ordinal)
        {
            ["http-429"] = 1,
            ["http-500"] = 1,
            ["http-503"] = 1,
            [ErrorKinds.Timeout] = 1,
            [ErrorKinds.MalformedResponse] = 1,
            [ErrorKinds.ConnectionReset] = 1,
        };
        if (stream)
        {
            expected[ErrorKinds.StreamCut] = 1;
        }

        Assert.Equal(expected, arm.Failures.Snapshot());
    }

    [Fact]
    public async Task AStreamThatStopsWithoutAFinishReason_IsCut_WhetherTheConnectionDropsOrEndsCleanly()
    {
        await using var server = await FaultServer.StartAsync(
            FaultServer.Sequence(new Fault.Cut("Half an"), new Fault.EndEarly("Half an"), new Fault.Status(502)), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(maxRetries: 3), stream: true), _clock);

        var answer = (await ArmRun.RunAsync(arm, ArmRun.Calls(1), _clock, server)).Single().Answer;

        Assert.Equal("answer 3", answer.Text);
        Assert.Equal("stop", answer.FinishReason);
        Assert.Equal(4, answer.Attempts);
        Assert.Equal(new SortedDictionary<string, int>(StringComparer.Ordinal) { ["http-502"] = 1, ["stream-cut"] = 2 }, arm.Failures.Snapshot());
    }

    [Fact]
    public async Task AFaultOfThisProgram_IsAnUnexpectedFailure_NotRetried_NotThrown()
    {
        var handler = new ThrowingHandler();
        var settings = new ApiArmSettings("api", new ApiTarget(new Uri("http://127.0.0.1:9/v1"), "m")) { Resilience = ArmRun.Resilience() };
        await using var arm = new ApiArm(settings, _clock, handler);

        var answers = await _clock.RunAsync(ArmRun.AnswerAllAsync(arm, ArmRun.Calls(3)), () => 0);

        Assert.All(answers, answered => Assert.Equal("unexpected", answered.Answer.Error));
        Assert.Equal(3, handler.Calls);
        Assert.Equal(3, arm.Failures["unexpected"]);
    }

    [Fact]
    public async Task RetryAfterInSeconds_TheRetryIsNotSentBeforeTheAdvisedWaitElapses()
    {
        await using var server = await FaultServer.StartAsync(FaultServer.Sequence(new Fault.Status(429, RetryAfter: "7")), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience()), _clock);

        var run = ArmRun.AnswerAllAsync(arm, ArmRun.Calls(1));
        await FaultServer.WaitUntilAsync(() => _clock.PendingDelays.Count == 1, "the retry delay");
        Assert.Equal(TimeSpan.FromSeconds(7), _clock.PendingDelays[0]);
        _clock.Fake.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Equal(1, server.Count);
        Assert.False(run.IsCompleted);

        _clock.Fake.Advance(TimeSpan.FromMilliseconds(1));
        var answers = await run;

        Assert.Equal(2, server.Count);
        Assert.Equal(TimeSpan.FromSeconds(7), server.Requests[1].ArrivedAt - server.Requests[0].ArrivedAt);
        Assert.Equal("answer 1", answers.Single().Answer.Text);
        Assert.Equal(2, answers.Single().Answer.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(7), answers.Single().Answer.Latency);
        Assert.Equal(1, arm.Failures["http-429"]);
    }

    [Fact]
    public async Task RetryAfterAsHttpDate_IsWaitedUntil_EvenPastTheBackoffCap()
    {
        var date = (TestClock.Start + TimeSpan.FromSeconds(12)).ToString("r", CultureInfo.InvariantCulture);
        await using var server = await FaultServer.StartAsync(FaultServer.Sequence(new Fault.Status(503, RetryAfter: date)), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience()), _clock);

        var answers = await ArmRun.RunAsync(arm, ArmRun.Calls(1), _clock, server);

        Assert.Equal([TimeSpan.FromSeconds(12)], _clock.DelaysWaited);
        Assert.Equal(TimeSpan.FromSeconds(12), server.Requests[1].ArrivedAt - server.Requests[0].ArrivedAt);
        Assert.False(answers.Single().Answer.Failed);
        Assert.Equal(1, arm.Failures["http-503"]);
    }

    [Fact]
    public async Task WithoutAdvice_RetriesBackOffExponentially_WithJitter_UpToTheCap()
    {
        await using var server = await FaultServer.StartAsync(_ => new Fault.Status(500), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(maxRetries: 5)), _clock);

        var answer = (await ArmRun.RunAsync(arm, ArmRun.Calls(1), _clock, server)).Single().Answer;

        Assert.True(answer.Failed);
        Assert.Equal("http-500", answer.Error);
        Assert.Equal(6, answer.Attempts);
        Assert.Equal(6, server.Count);
        Assert.Equal(6, arm.Failures["http-500"]);
        Assert.Equal(5, _clock.DelaysWaited.Count);
        Assert.All(_clock.DelaysWaited, delay => Assert.InRange(delay, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(8)));
        Assert.True(_clock.DelaysWaited.Distinct().Count() > 1, "jitter makes the delays differ");
        Assert.True(_clock.DelaysWaited.Skip(2).Sum(delay => delay.TotalSeconds) > _clock.DelaysWaited[0].TotalSeconds, "later delays grow");
    }

    [Theory]
    [InlineData(401, "auth")]
    [InlineData(403, "auth")]
    [InlineData(400, "bad-request")]
    [InlineData(404, "http-404")]
    public async Task ClientErrors_AreNotRetried(int status, string kind)
    {
        await using var server = await FaultServer.StartAsync(_ => new Fault.Status(status), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience()), _clock);

        var answers = await ArmRun.RunAsync(arm, ArmRun.Calls(2), _clock, server);

        Assert.All(answers, answered => Assert.Equal(kind, answered.Answer.Error));
        Assert.All(answers, answered => Assert.Equal(1, answered.Answer.Attempts));
        Assert.Equal(2, server.Count);
        Assert.Equal(2, arm.Failures[kind]);
        Assert.Empty(_clock.DelaysWaited);
    }

    [Fact]
    public async Task AnAdvisedWaitPastTheLimit_IsNotWaited_TheFallbackAnswers()
    {
        await using var server = await FaultServer.StartAsync(
            request => request.Model == "primary" ? new Fault.Status(429, RetryAfter: "3600") : new Fault.Answer("from the fallback"), _clock);
        var settings = ArmRun.Settings(server, ArmRun.Resilience()) with { Fallbacks = [new ApiTarget(server.BaseUrl, "cheap")] };
        await using var arm = new ApiArm(settings, _clock);

        var answer = (await ArmRun.RunAsync(arm, ArmRun.Calls(1), _clock, server)).Single().Answer;

        Assert.Equal("from the fallback", answer.Text);
        Assert.Equal("cheap", answer.AnsweredBy);
        Assert.Equal(2, answer.Attempts);
        Assert.Empty(_clock.DelaysWaited);
    }

    [Fact]
    public async Task RepeatedFailures_OpenTheCircuit_LaterCallsFailFast_ThenItClosesAfterTheBreak()
    {
        var healthy = false;
        await using var server = await FaultServer.StartAsync(_ => Volatile.Read(ref healthy) ? new Fault.Answer("back") : new Fault.Status(503), _clock);
        var resilience = ArmRun.Resilience(maxRetries: 0) with
        {
            BreakerMinimumThroughput = 3,
            BreakerFailureRatio = 0.5,
            BreakDuration = TimeSpan.FromSeconds(30),
        };
        await using var arm = new ApiArm(ArmRun.Settings(server, resilience), _clock);

        var answers = await ArmRun.RunAsync(arm, ArmRun.Calls(10), _clock, server);

        Assert.Equal(3, server.Count);
        Assert.Equal(["http-503", "http-503", "http-503", .. Enumerable.Repeat("circuit-open", 7)], answers.OrderBy(answered => answered.Call.Item).Select(answered => answered.Answer.Error));
        Assert.All(answers, answered => Assert.Equal(1, answered.Answer.Attempts));
        Assert.Equal(new SortedDictionary<string, int>(StringComparer.Ordinal) { ["circuit-open"] = 7, ["http-503"] = 3 }, arm.Failures.Snapshot());

        Volatile.Write(ref healthy, true);
        _clock.Fake.Advance(TimeSpan.FromSeconds(29));
        var stillOpen = await ArmRun.RunAsync(arm, ArmRun.Calls(1), _clock, server);
        _clock.Fake.Advance(TimeSpan.FromSeconds(1));
        var closed = await ArmRun.RunAsync(arm, ArmRun.Calls(3), _clock, server);

        Assert.Equal("circuit-open", stillOpen.Single().Answer.Error);
        Assert.All(closed, answered => Assert.Equal("back", answered.Answer.Text));
        Assert.Equal(6, server.Count);
    }

    [Fact]
    public async Task RateLimits_AreWaitedOut_AndNeverOpenTheCircuit()
    {
        await using var server = await FaultServer.StartAsync(_ => new Fault.Status(429, RetryAfter: "1"), _clock);
        var resilience = ArmRun.Resilience(maxRetries: 2) with { BreakerMinimumThroughput = 3, BreakerFailureRatio = 0.5 };
        await using var arm = new ApiArm(ArmRun.Settings(server, resilience), _clock);

        var answers = await ArmRun.RunAsync(arm, ArmRun.Calls(4), _clock, server);

        Assert.All(answers, answered => Assert.Equal("http-429", answered.Answer.Error));
        Assert.All(answers, answered => Assert.Equal(3, answered.Answer.Attempts));
        Assert.Equal(12, server.Count);
        Assert.Equal(new SortedDictionary<string, int>(StringComparer.Ordinal) { ["http-429"] = 12 }, arm.Failures.Snapshot());
        Assert.All(_clock.DelaysWaited, delay => Assert.Equal(TimeSpan.FromSeconds(1), delay));
    }

    [Fact]
    public async Task AnOpenCircuit_SendsCallsToTheFallback_OnAnotherEndpoint()
    {
        await using var primary = await FaultServer.StartAsync(_ => new Fault.Status(500), _clock);
        await using var other = await FaultServer.StartAsync(request => new Fault.Answer($"{request.Model} says hi"), _clock);
        var resilience = ArmRun.Resilience(maxRetries: 1) with { BreakerMinimumThroughput = 4, BreakerFailureRatio = 1 };
        var settings = ArmRun.Settings(primary, resilience, model: "big") with { Fallbacks = [new ApiTarget(other.BaseUrl, "small")] };
        await using var arm = new ApiArm(settings, _clock);

        var answers = await ArmRun.RunAsync(arm, ArmRun.Calls(6), _clock, primary);

        Assert.All(answers, answered => Assert.Equal("small says hi", answered.Answer.Text));
        Assert.All(answers, answered => Assert.Equal("small", answered.Answer.AnsweredBy));
        Assert.Equal(4, primary.Count);
        Assert.Equal(6, other.Count);
        Assert.Equal([3, 3, 2, 2, 2, 2], answers.OrderBy(answered => answered.Call.Item).Select(answered => answered.Answer.Attempts));
        Assert.Equal(new SortedDictionary<string, int>(StringComparer.Ordinal) { ["circuit-open"] = 4, ["http-500"] = 4 }, arm.Failures.Snapshot());
    }

    [Fact]
    public async Task WhenEveryModelFails_TheAnswerCarriesTheLastFailure()
    {
        await using var server = await FaultServer.StartAsync(
            request => request.Model == "primary" ? new Fault.Status(503) : new Fault.Status(401), _clock);
        var settings = ArmRun.Settings(server, ArmRun.Resilience(maxRetries: 2)) with { Fallbacks = [new ApiTarget(server.BaseUrl, "cheap")] };
        await using var arm = new ApiArm(settings, _clock);

        var answer = (await ArmRun.RunAsync(arm, ArmRun.Calls(1), _clock, server)).Single().Answer;

        Assert.True(answer.Failed);
        Assert.Equal("auth", answer.Error);
        Assert.Equal("cheap", answer.AnsweredBy);
        Assert.Equal(4, answer.Attempts);
        Assert.Equal(new SortedDictionary<string, int>(StringComparer.Ordinal) { ["auth"] = 1, ["http-503"] = 3 }, arm.Failures.Snapshot());
    }

    [Fact]
    public async Task NoMoreThanTheLimit_AreInFlightAtOnce()
    {
        using var gate = new SemaphoreSlim(0);
        await using var server = await FaultServer.StartAsync(request => new Fault.Held($"held {request.Index}", gate), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(concurrency: 3)), _clock);

        var run = ArmRun.AnswerAllAsync(arm, ArmRun.Calls(10));
        for (var released = 0; released < 10; released += 3)
        {
            await FaultServer.WaitUntilAsync(() => server.InFlight == Math.Min(3, 10 - released), "requests in flight");
            await Task.Delay(20);
            Assert.Equal(Math.Min(3, 10 - released), server.InFlight);
            gate.Release(3);
            await FaultServer.WaitUntilAsync(() => server.Count >= Math.Min(10, released + 6) || server.Count == 10, "the next requests");
        }

        var answers = await run;

        Assert.Equal(10, answers.Count);
        Assert.Equal(3, server.MaxInFlight);
        Assert.All(answers, answered => Assert.False(answered.Answer.Failed));
    }

    [Fact]
    public async Task TheLimitIsTheArms_WhenTwoRunsAskItAtOnce()
    {
        using var gate = new SemaphoreSlim(0);
        await using var server = await FaultServer.StartAsync(request => new Fault.Held($"held {request.Index}", gate), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(concurrency: 2)), _clock);

        var runs = new[] { ArmRun.AnswerAllAsync(arm, ArmRun.Calls(4)), ArmRun.AnswerAllAsync(arm, ArmRun.Calls(4)) };
        await FaultServer.WaitUntilAsync(() => server.InFlight == 2, "two requests in flight");
        await Task.Delay(20);
        Assert.Equal(2, server.InFlight);
        gate.Release(8);
        var answers = await Task.WhenAll(runs);

        Assert.All(answers, run => Assert.Equal(4, run.Count(answered => !answered.Answer.Failed)));
        Assert.Equal(2, server.MaxInFlight);
    }

    [Fact]
    public async Task Cancellation_EndsTheRunQuietly_WithTheAnswersFinishedBeforeIt()
    {
        using var gate = new SemaphoreSlim(0);
        await using var server = await FaultServer.StartAsync(request => new Fault.Held($"held {request.Index}", gate), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(concurrency: 2)), _clock);
        using var stop = new CancellationTokenSource();

        gate.Release(1);
        var answers = new List<AnsweredCall>();
        await foreach (var answered in arm.AnswerAsync(ArmRun.Calls(8), stop.Token))
        {
            answers.Add(answered);
            await stop.CancelAsync();
        }

        Assert.StartsWith("held ", Assert.Single(answers).Answer.Text, StringComparison.Ordinal);
        Assert.Empty(arm.Failures.Snapshot());
        Assert.InRange(server.Count, 2, 3);
    }

    [Fact]
    public async Task AnEndpointThatIsNotThere_IsConnectionRefused_RetriedNotThrown()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var settings = new ApiArmSettings("gone", new ApiTarget(new Uri($"http://127.0.0.1:{port}/v1"), "m")) { Resilience = ArmRun.Resilience(maxRetries: 1) };
        await using var arm = new ApiArm(settings, _clock);

        var answer = (await _clock.RunAsync(ArmRun.AnswerAllAsync(arm, ArmRun.Calls(1)), () => 0)).Single().Answer;

        Assert.Equal("connection-refused", answer.Error);
        Assert.Equal(2, answer.Attempts);
        Assert.Equal(2, arm.Failures["connection-refused"]);
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("a bug, not an endpoint's fault");
        }
    }
}
