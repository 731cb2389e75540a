using System.Security.Cryptography;
using System.Text.Json;
using Curation.Training.Generation;

namespace Curation.Serving.Api;

/// <summary>
/// Writes one response's JSON in OpenAI's shapes (<c>chat.completion</c>, <c>chat.completion.chunk</c>,
/// <c>text_completion</c>), every chunk of a stream with the same id, creation time and model.
/// </summary>
internal sealed class ChunkShape(string idPrefix, string objectName, string model, long created)
{
    public string Id { get; } = idPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public string Model => model;

    public void WriteChat(Utf8JsonWriter json, ChatReply reply)
    {
        Start(json, objectName);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        json.WriteString("content", reply.Text);
        json.WriteEndObject();
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", reply.FinishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        Usage(json, [reply]);
        json.WriteEndObject();
    }

    public void WriteText(Utf8JsonWriter json, IReadOnlyList<ChatReply> replies)
    {
        Start(json, objectName);
        json.WriteStartArray("choices");
        for (var i = 0; i < replies.Count; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("index", i);
            json.WriteString("text", replies[i].Text);
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", replies[i].FinishReason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        Usage(json, replies);
        json.WriteEndObject();
    }

    /// <summary>A stream's first chat chunk: the assistant's role, no text yet.</summary>
    public void WriteRoleDelta(Utf8JsonWriter json) => Delta(json, chat: true, role: true, content: string.Empty, finishReason: null);

    /// <summary>A piece of the reply, or (with <paramref name="finishReason"/>) the chunk that ends the choice.</summary>
    public void WriteDelta(Utf8JsonWriter json, bool chat, string? content, string? finishReason) =>
        Delta(json, chat, role: false, content, finishReason);

    /// <summary>The chunk after the last choice when the client asked for usage: no choices, the token counts.</summary>
    public void WriteUsageChunk(Utf8JsonWriter json, bool chat, ChatReply reply)
    {
        Start(json, chat ? "chat.completion.chunk" : objectName);
        json.WriteStartArray("choices");
        json.WriteEndArray();
        Usage(json, [reply]);
        json.WriteEndObject();
    }

    private void Delta(Utf8JsonWriter json, bool chat, bool role, string? content, string? finishReason)
    {
        Start(json, chat ? "chat.completion.chunk" : objectName);
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        if (chat)
        {
            json.WriteStartObject("delta");
            if (role)
            {
                json.WriteString("role", "assistant");
            }

            if (content is not null)
            {
                json.WriteString("content", content);
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteString("text", content ?? string.Empty);
        }

        json.WriteNull("logprobs");
        json.WriteString("finish_reason", finishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteNull("usage");
        json.WriteEndObject();
    }

    private void Start(Utf8JsonWriter json, string kind)
    {
        json.WriteStartObject();
        json.WriteString("id", Id);
        json.WriteString("object", kind);
        json.WriteNumber("created", created);
        json.WriteString("model", model);
    }

    private static void Usage(Utf8JsonWriter json, IReadOnlyList<ChatReply> replies)
    {
        var prompt = replies.Sum(reply => reply.PromptTokens);
        var completion = replies.Sum(reply => reply.CompletionTokens);
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", prompt);
        json.WriteNumber("completion_tokens", completion);
        json.WriteNumber("total_tokens", prompt + completion);
        json.WriteEndObject();
    }
}
