using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Curation.Evaluation.Tests.Faults;

/// <summary>One request as the fault server saw it.</summary>
/// <param name="Index">Arrival order, from 0.</param>
/// <param name="ArrivedAt">The test clock's time on arrival.</param>
internal sealed record SeenRequest(int Index, string Model, bool Stream, DateTimeOffset ArrivedAt, JsonObject Body, string? Authorization);

/// <summary>
/// An OpenAI-compatible <c>/v1/chat/completions</c> on Kestrel at 127.0.0.1 (a free port) that does what a script
/// says with each request: answer, fail with a status, stall, send broken JSON, drop the connection, or cut a stream.
/// </summary>
internal sealed class FaultServer : IAsyncDisposable
{
    private static readonly TimeSpan StallBound = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly Func<SeenRequest, Fault> _script;
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private int _arrivals = -1;
    private int _stalled;
    private int _stalls;
    private int _inFlight;
    private int _maxInFlight;

    private FaultServer(WebApplication app, Func<SeenRequest, Fault> script, TimeProvider clock)
    {
        _app = app;
        _script = script;
        _clock = clock;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<SeenRequest> Requests => [.. _seen.OrderBy(request => request.Index)];

    public int Count => Volatile.Read(ref _arrivals) + 1;

    /// <summary>Requests held by a <see cref="Fault.Stall"/> now.</summary>
    public int Stalled => Volatile.Read(ref _stalled);

    /// <summary>Requests given a <see cref="Fault.Stall"/> so far.</summary>
    public int Stalls => Volatile.Read(ref _stalls);

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<FaultServer> StartAsync(Func<SeenRequest, Fault> script, TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FaultServer(app, script, clock);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    /// <summary>Faults in order, one per request, then answers for every request after them.</summary>
    public static Func<SeenRequest, Fault> Sequence(params Fault[] faults) =>
        request => request.Index < faults.Length ? faults[request.Index] : new Fault.Answer($"answer {request.Index}");

    /// <summary>Waits on the wall clock (bounded) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(10 * TimeProvider.System.TimestampFrequency);
        while (!condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"waited 10 s for {what}");
            }

            await Task.Delay(2);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
            var request = new SeenRequest(
                Interlocked.Increment(ref _arrivals),
                (string)body["model"]!,
                body["stream"]?.GetValue<bool>() == true,
                _clock.GetUtcNow(),
                body,
                context.Request.Headers.Authorization.ToString());
            _seen.Enqueue(request);
            await ActAsync(context, request, _script(request));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task ActAsync(HttpContext context, SeenRequest request, Fault fault)
    {
        var response = context.Response;
        switch (fault)
        {
            case Fault.Answer answer:
                await AnswerAsync(response, request, answer);
                break;
            case Fault.Held held:
                await held.Gate.WaitAsync(StallBound, context.RequestAborted);
                await AnswerAsync(response, request, new Fault.Answer(held.Text));
                break;
            case Fault.Status status:
                response.StatusCode = status.Code;
                if (status.RetryAfter is not null)
                {
                    response.Headers.RetryAfter = status.RetryAfter;
                }

                await response.WriteAsJsonAsync(new { error = new { message = $"scripted {status.Code}", type = "scripted", code = status.Code } });
                break;
            case Fault.Stall:
                Interlocked.Increment(ref _stalled);
                Interlocked.Increment(ref _stalls);
                try
                {
                    await Task.Delay(StallBound, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    Interlocked.Decrement(ref _stalled);
                }

                break;
            case Fault.Malformed when request.Stream:
                await StartEventsAsync(response);
                await response.WriteAsync("data: {\"id\":\"x\",\"choices\":[{\"delta\":\n\n");
                await response.WriteAsync("data: [DONE]\n\n");
                break;
            case Fault.Malformed:
                response.ContentType = "application/json";
                await response.WriteAsync("{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":");
                break;
            case Fault.Reset:
                context.Abort();
                break;
            case Fault.Cut cut:
                await StartEventsAsync(response);
                await response.WriteAsync(Event(Chunk(request, cut.Text, null)));
                await response.Body.FlushAsync();
                await Task.Delay(20);
                context.Abort();
                break;
            case Fault.EndEarly early:
                await StartEventsAsync(response);
                await response.WriteAsync(Event(Chunk(request, early.Text, null)));
                break;
            default:
                throw new InvalidOperationException($"unknown fault {fault}");
        }
    }

    private static async Task AnswerAsync(HttpResponse response, SeenRequest request, Fault.Answer answer)
    {
        if (!request.Stream)
        {
            response.ContentType = "application/json";
            var completion = new JsonObject
            {
                ["id"] = "chatcmpl-" + request.Index.ToString(CultureInfo.InvariantCulture),
                ["object"] = "chat.completion",
                ["created"] = 1,
                ["model"] = request.Model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer.Text },
                    ["finish_reason"] = answer.FinishReason,
                }),
                ["usage"] = Usage(answer),
            };
            await response.WriteAsync(completion.ToJsonString());
            return;
        }

        await StartEventsAsync(response);
        var words = answer.Text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            await response.WriteAsync(Event(Chunk(request, (i == 0 ? "" : " ") + words[i], null)));
        }

        await response.WriteAsync(Event(Chunk(request, null, answer.FinishReason)));
        var usage = Chunk(request, null, null);
        usage["choices"] = new JsonArray();
        usage["usage"] = Usage(answer);
        await response.WriteAsync(Event(usage));
        await response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task StartEventsAsync(HttpResponse response)
    {
        response.ContentType = "text/event-stream";
        await response.Body.FlushAsync();
    }

    private static JsonObject Chunk(SeenRequest request, string? text, string? finishReason) => new()
    {
        ["id"] = "chatcmpl-" + request.Index.ToString(CultureInfo.InvariantCulture),
        ["object"] = "chat.completion.chunk",
        ["created"] = 1,
        ["model"] = request.Model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["delta"] = text is null ? new JsonObject() : new JsonObject { ["role"] = "assistant", ["content"] = text },
            ["finish_reason"] = finishReason,
        }),
    };

    private static JsonObject Usage(Fault.Answer answer) => new()
    {
        ["prompt_tokens"] = answer.PromptTokens,
        ["completion_tokens"] = answer.CompletionTokens,
        ["total_tokens"] = answer.PromptTokens + answer.CompletionTokens,
    };

    private static string Event(JsonObject data) => "data: " + data.ToJsonString() + "\n\n";

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
