using Curation.Core;
using Curation.Core.Records;
using Curation.Evaluation.Arms;
using Curation.Evaluation.Tests.Faults;

namespace Curation.Evaluation.Tests;

/// <summary>What the API arm sends and what it reads back, on a healthy endpoint.</summary>
public sealed class ApiArmTests
{
    private readonly TestClock _clock = new(ArmRun.AttemptTimeout);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendsMessagesAndParameters_ReadsTextUsageAndFinishReason(bool stream)
    {
        await using var server = await FaultServer.StartAsync(_ => new Fault.Answer("Paris is the capital", "length", PromptTokens: 23, CompletionTokens: 4), _clock);
        var settings = new ApiArmSettings("remote", new ApiTarget(server.BaseUrl, "gpt-test", "TEST_API_KEY")) { Stream = stream, Resilience = ArmRun.Resilience() };
        await using var arm = new ApiArm(settings, _clock, readVariable: name => name == "TEST_API_KEY" ? "sk-scripted" : null);
        ArmCall call = new(
            5,
            2,
            [new Message("system", "Be terse."), new Message("user", "Capital of France?") { Name = "alice" }, new Message("assistant", "Paris."), new Message("user", "Sure?")],
            new CallParameters(64, 0.7, 0.9, 1234));

        var answered = Assert.Single(await ArmRun.AnswerAllAsync(arm, [call]));

        Assert.Equal(call, answered.Call);
        var answer = answered.Answer;
        Assert.Equal("Paris is the capital", answer.Text);
        Assert.Equal(23, answer.InputTokens);
        Assert.Equal(4, answer.OutputTokens);
        Assert.Equal("length", answer.FinishReason);
        Assert.Equal("gpt-test", answer.AnsweredBy);
        Assert.Equal(1, answer.Attempts);
        Assert.Null(answer.Error);

        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer sk-scripted", request.Authorization);
        Assert.Equal("gpt-test", request.Model);
        Assert.Equal(stream, request.Stream);
        var body = request.Body;
        var messages = body["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "user"], messages.Select(message => (string)message!["role"]!));
        Assert.Equal(["Be terse.", "Capital of France?", "Paris.", "Sure?"], messages.Select(message => ContentOf(message!["content"]!)));
        Assert.Equal("alice", (string)messages[1]!["name"]!);
        Assert.Equal(64, (int)(body["max_completion_tokens"] ?? body["max_tokens"])!);
        Assert.Equal(0.7, (double)body["temperature"]!, 5);
        Assert.Equal(0.9, (double)body["top_p"]!, 5);
        Assert.Equal(1234, (long)body["seed"]!);
        if (stream)
        {
            Assert.True((bool)body["stream_options"]!["include_usage"]!);
        }
    }

    [Fact]
    public async Task ABaseUrlWithATrailingSlash_ReachesTheSameEndpoint()
    {
        await using var server = await FaultServer.StartAsync(_ => new Fault.Answer("ok"), _clock);
        var settings = new ApiArmSettings("remote", new ApiTarget(new Uri(server.BaseUrl + "/"), "m")) { Resilience = ArmRun.Resilience() };
        await using var arm = new ApiArm(settings, _clock);

        var answer = Assert.Single(await ArmRun.AnswerAllAsync(arm, ArmRun.Calls(1))).Answer;

        Assert.Equal("ok", answer.Text);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public void AMissingKeyVariable_IsAOneLineErrorNamingIt()
    {
        var settings = new ApiArmSettings("remote", new ApiTarget(new Uri("http://127.0.0.1:9/v1"), "m", "CURATION_TEST_UNSET_KEY"));

        var error = Assert.Throws<CurationException>(() => new ApiArm(settings, _clock, readVariable: _ => null));

        Assert.Contains("CURATION_TEST_UNSET_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("remote", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AKeyVariableOfAFallback_IsCheckedToo()
    {
        var settings = new ApiArmSettings("remote", new ApiTarget(new Uri("http://127.0.0.1:9/v1"), "m"))
        {
            Fallbacks = [new ApiTarget(new Uri("http://127.0.0.1:10/v1"), "cheap", "CURATION_TEST_FALLBACK_KEY")],
        };

        var error = Assert.Throws<CurationException>(() => new ApiArm(settings, _clock, readVariable: _ => ""));

        Assert.Contains("CURATION_TEST_FALLBACK_KEY", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> SettingsOutOfRange => new()
    {
        { "concurrency", "arm 'remote': concurrency must be 1 to 1024" },
        { "timeout", "arm 'remote': timeout must be 10 ms to 1 day" },
        { "retries", "arm 'remote': max_retries must be 0 to 100" },
        { "delays", "arm 'remote': max_delay must be base_delay to 1 day" },
        { "ratio", "arm 'remote': breaker_failure_ratio must be above 0 and at most 1" },
        { "break", "arm 'remote': break_duration must be 0.5 s to 1 day" },
    };

    [Theory]
    [MemberData(nameof(SettingsOutOfRange))]
    public void ResilienceSettingsOutOfRange_AreAOneLineErrorNamingTheSetting(string setting, string message)
    {
        var resilience = ArmRun.Resilience();
        resilience = setting switch
        {
            "concurrency" => resilience with { MaxConcurrency = 0 },
            "timeout" => resilience with { Timeout = TimeSpan.FromDays(2) },
            "retries" => resilience with { MaxRetries = -1 },
            "delays" => resilience with { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(5) },
            "ratio" => resilience with { BreakerFailureRatio = 0 },
            _ => resilience with { BreakDuration = TimeSpan.FromMilliseconds(100) },
        };
        var settings = new ApiArmSettings("remote", new ApiTarget(new Uri("http://127.0.0.1:9/v1"), "m")) { Resilience = resilience };

        var error = Assert.Throws<CurationException>(() => new ApiArm(settings, _clock));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task NoRetries_IsOneAttemptPerModel()
    {
        await using var server = await FaultServer.StartAsync(_ => new Fault.Status(500), _clock);
        await using var arm = new ApiArm(ArmRun.Settings(server, ArmRun.Resilience(maxRetries: 0)), _clock);

        var answer = Assert.Single(await ArmRun.AnswerAllAsync(arm, ArmRun.Calls(1))).Answer;

        Assert.Equal("http-500", answer.Error);
        Assert.Equal(1, answer.Attempts);
        Assert.Equal(1, server.Count);
    }

    [Fact]
    public void Identity_IsEndpointAndModel()
    {
        Assert.Equal("http://127.0.0.1:8000/v1#qwen", new ApiTarget(new Uri("http://127.0.0.1:8000/v1/"), "qwen").Identity);
        Assert.NotEqual(new ApiTarget(new Uri("http://a/v1"), "m").Identity, new ApiTarget(new Uri("http://b/v1"), "m").Identity);
    }

    private static string ContentOf(System.Text.Json.Nodes.JsonNode content) =>
        content is System.Text.Json.Nodes.JsonArray parts ? string.Concat(parts.Select(part => (string)part!["text"]!)) : (string)content!;
}
