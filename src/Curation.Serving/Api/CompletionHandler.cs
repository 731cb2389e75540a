using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Curation.Serving.Scheduling;
using Curation.Tokenization.ChatTemplates;
using Curation.Training.Generation;
using Microsoft.AspNetCore.Http;

namespace Curation.Serving.Api;

/// <summary>
/// Answers <c>/v1/chat/completions</c> and <c>/v1/completions</c>: checks the request, turns it into prompt ids, queues
/// it on the scheduler and writes the reply whole or as server-sent events.
/// </summary>
internal sealed class CompletionHandler(ServedModel served, GenerationScheduler scheduler, ServeSettings settings, TimeProvider clock, AccessLog log)
{
    private readonly IReadOnlySet<int> _stopIds = TextGenerator.StopIdsOf(served.Model, served.Tokenizer, served.Template);

    public async Task ChatAsync(HttpContext context)
    {
        var request = RequestReader.Chat(await BodyAsync(context));
        var adapter = Resolve(request.Model);
        IReadOnlyList<int> prompt;
        try
        {
            prompt = served.Tokenizer.Encode(served.Template.Render(request.Messages, addGenerationPrompt: true).Text);
        }
        catch (ChatTemplateException ex)
        {
            throw ApiError.BadRequest("messages", ex.Message);
        }

        var job = Queue(request.Model, prompt, request.Parameters, adapter, "messages", context.RequestAborted);
        var shape = new ChunkShape("chatcmpl-", "chat.completion", request.Model, clock.GetUtcNow().ToUnixTimeSeconds());
        if (request.Parameters.Stream)
        {
            await StreamAsync(context, job, shape, request.Parameters.IncludeUsage, chat: true);
        }
        else
        {
            var reply = await job.Reply;
            await WriteJsonAsync(context.Response, json => shape.WriteChat(json, reply));
            log.Completed(request.Model, reply);
        }
    }

    public async Task TextAsync(HttpContext context)
    {
        var request = RequestReader.Text(await BodyAsync(context));
        var adapter = Resolve(request.Model);
        var jobs = request.Prompts.Select(text => Queue(request.Model, served.Tokenizer.Encode(text), request.Parameters, adapter, "prompt", context.RequestAborted)).ToList();
        var shape = new ChunkShape("cmpl-", "text_completion", request.Model, clock.GetUtcNow().ToUnixTimeSeconds());
        if (request.Parameters.Stream)
        {
            await StreamAsync(context, jobs[0], shape, request.Parameters.IncludeUsage, chat: false);
            return;
        }

        var replies = await Task.WhenAll(jobs.Select(job => job.Reply));
        await WriteJsonAsync(context.Response, json => shape.WriteText(json, replies));
        foreach (var reply in replies)
        {
            log.Completed(request.Model, reply);
        }
    }

    private int? Resolve(string model) =>
        served.TryResolve(model, out var adapter)
            ? adapter
            : throw new ApiError(StatusCodes.Status404NotFound, $"The model '{model}' does not exist here; served: {string.Join(", ", served.Names)}", "model", "model_not_found");

    private GenerationJob Queue(string model, IReadOnlyList<int> prompt, GenerationParameters parameters, int? adapter, string promptField, CancellationToken aborted)
    {
        if (parameters.MaxTokens > settings.MaxTokensLimit)
        {
            throw ApiError.BadRequest("max_tokens", string.Create(CultureInfo.InvariantCulture, $"this server allows at most {settings.MaxTokensLimit}; got {parameters.MaxTokens}"));
        }

        var context = served.Model.Config.MaxPositions;
        if (prompt.Count >= context || (parameters.MaxTokens is { } asked && prompt.Count + asked > context))
        {
            throw new ApiError(
                StatusCodes.Status400BadRequest,
                string.Create(CultureInfo.InvariantCulture, $"This model's maximum context length is {context} tokens; the {promptField} take {prompt.Count} tokens and {parameters.MaxTokens ?? 1} more were asked for. Shorten the {promptField} or ask for fewer tokens."),
                promptField,
                "context_length_exceeded");
        }

        var maxTokens = parameters.MaxTokens ?? Math.Min(settings.MaxTokensLimit, context - prompt.Count);
        var seed = parameters.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue);
        var options = new SamplingOptions(maxTokens, parameters.Temperature, parameters.TopP, seed, parameters.TopK);
        var job = new GenerationJob(model, prompt, options, _stopIds, parameters.Stop, adapter, served.Tokenizer, parameters.Stream, aborted);
        if (!scheduler.TryEnqueue(job))
        {
            throw new ApiError(
                StatusCodes.Status429TooManyRequests,
                string.Create(CultureInfo.InvariantCulture, $"The server is busy: {settings.MaxQueue} requests are already waiting. Retry after {settings.RetryAfterSeconds} s."),
                code: "rate_limit_exceeded");
        }

        return job;
    }

    private async Task StreamAsync(HttpContext context, GenerationJob job, ChunkShape shape, bool includeUsage, bool chat)
    {
        var aborted = context.RequestAborted;
        var events = new SseWriter(context.Response);
        await events.StartAsync();
        if (chat)
        {
            await events.WriteAsync(shape.WriteRoleDelta, aborted);
        }

        ChatReply reply;
        try
        {
            await foreach (var piece in job.Pieces!.ReadAllAsync(aborted))
            {
                await events.WriteAsync(json => shape.WriteDelta(json, chat, piece, finishReason: null), aborted);
            }

            reply = await job.Reply;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = new ApiError(StatusCodes.Status500InternalServerError, $"generation failed: {ex.Message}");
            await events.WriteAsync(error.WriteBody, aborted);
            await events.DoneAsync(aborted);
            log.Failed(shape.Model, ex);
            return;
        }

        await events.WriteAsync(json => shape.WriteDelta(json, chat, content: null, reply.FinishReason), aborted);
        if (includeUsage)
        {
            await events.WriteAsync(json => shape.WriteUsageChunk(json, chat, reply), aborted);
        }

        await events.DoneAsync(aborted);
        log.Completed(shape.Model, reply);
    }

    private static async Task<JsonElement> BodyAsync(HttpContext context)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, $"the request body is not valid JSON: {ex.Message}");
        }
        catch (BadHttpRequestException ex)
        {
            throw new ApiError(ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "the request body is larger than this server accepts" : ex.Message);
        }
    }

    private static async Task WriteJsonAsync(HttpResponse response, Action<Utf8JsonWriter> body)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(response.Body);
        body(json);
        await json.FlushAsync();
    }
}
