using System.ClientModel;
using System.ClientModel.Primitives;
using Curation.Core;
using Curation.Evaluation.Resilience;
using Microsoft.Extensions.AI;
using OpenAI;
using Polly;
using Polly.CircuitBreaker;

namespace Curation.Evaluation.Arms;

/// <summary>What one model of the fallback chain made of a call: a response, or the kind of its last failure.</summary>
internal readonly record struct ApiTargetOutcome(ChatResponse? Response, string? Error, int Attempts);

/// <summary>
/// Asks one model of one endpoint through <see cref="IChatClient"/> over the OpenAI SDK, inside the resilience
/// pipeline of that model (its own circuit). The SDK's retries are off: the pipeline alone retries.
/// </summary>
internal sealed class ApiTargetCaller
{
    private const string NoKey = "no-key";

    private readonly IChatClient _client;
    private readonly ResiliencePipeline _pipeline;
    private readonly FailureCounts _failures;
    private readonly TimeProvider _timeProvider;
    private readonly bool _stream;

    public ApiTargetCaller(
        string arm, ApiTarget target, bool stream, ResilienceSettings resilience, HttpClient httpClient, TimeProvider timeProvider,
        FailureCounts failures, Func<string, string?> readVariable)
    {
        Target = target;
        _stream = stream;
        _failures = failures;
        _timeProvider = timeProvider;
        var options = new OpenAIClientOptions
        {
            Endpoint = target.BaseUrl,
            Transport = new HttpClientPipelineTransport(httpClient),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        _client = new OpenAIClient(new ApiKeyCredential(ApiKeyOf(arm, target, readVariable)), options).GetChatClient(target.Model).AsIChatClient();
        _pipeline = CallPipeline.Build(resilience, timeProvider, failures.Add);
    }

    public ApiTarget Target { get; }

    /// <summary>Answers <paramref name="call"/> with retries; throws only <see cref="OperationCanceledException"/> for <paramref name="cancellationToken"/>.</summary>
    public async Task<ApiTargetOutcome> AnswerAsync(ArmCall call, CancellationToken cancellationToken)
    {
        var messages = ApiChatRequest.MessagesOf(call);
        var attempts = 0;
        try
        {
            var response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await AttemptAsync(messages, ApiChatRequest.OptionsOf(call.Parameters), token);
                },
                cancellationToken);
            return new ApiTargetOutcome(response, null, attempts);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            var kind = CallPipeline.KindOf(exception);
            _failures.Add(kind);
            return new ApiTargetOutcome(null, kind, exception is BrokenCircuitException ? attempts + 1 : attempts);
        }
    }

    private async ValueTask<ChatResponse> AttemptAsync(List<ChatMessage> messages, ChatOptions options, CancellationToken token)
    {
        var updates = new List<ChatResponseUpdate>();
        try
        {
            if (!_stream)
            {
                var response = await _client.GetResponseAsync(messages, options, token);
                return response.Messages.Count > 0 ? response : throw new ApiCallFailure(ErrorKinds.MalformedResponse, null, null, null);
            }

            await foreach (var update in _client.GetStreamingResponseAsync(messages, options, token))
            {
                updates.Add(update);
            }

            var streamed = updates.ToChatResponse();
            return streamed.FinishReason is not null ? streamed : throw new ApiCallFailure(ErrorKinds.StreamCut, null, null, null);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // The attempt's timeout (or the run) cancelled it; whatever the transport threw for that, the timeout
            // strategy needs the cancellation itself to report a timeout.
            throw new OperationCanceledException(token);
        }
        catch (Exception exception)
        {
            throw FailureClassifier.Classify(exception, readingStream: updates.Count > 0, _timeProvider.GetUtcNow());
        }
    }

    private static string ApiKeyOf(string arm, ApiTarget target, Func<string, string?> readVariable)
    {
        if (target.ApiKeyVariable is null)
        {
            return NoKey;
        }

        var key = readVariable(target.ApiKeyVariable);
        return string.IsNullOrEmpty(key)
            ? throw new CurationException($"arm '{arm}': environment variable {target.ApiKeyVariable} (the API key for {target.Identity}) is not set")
            : key;
    }
}
