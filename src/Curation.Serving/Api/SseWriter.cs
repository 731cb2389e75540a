using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Curation.Serving.Api;

/// <summary>Server-sent events as OpenAI streams them: <c>data: {json}</c> per chunk, flushed at once, then <c>data: [DONE]</c>.</summary>
internal sealed class SseWriter(HttpResponse response)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public async Task StartAsync()
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync();
    }

    public async Task WriteAsync(Action<Utf8JsonWriter> chunk, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            chunk(json);
        }

        await response.Body.WriteAsync(DataPrefix, cancellationToken);
        await response.Body.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        await response.Body.WriteAsync(EventEnd, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public async Task DoneAsync(CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Done, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
