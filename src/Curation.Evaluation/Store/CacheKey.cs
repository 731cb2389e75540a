using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Curation.Evaluation.Arms;

namespace Curation.Evaluation.Store;

/// <summary>
/// The response cache's key of a call: SHA-256 (lowercase hex) of canonical JSON of what decides the answer: the arm
/// (endpoint and model), the prompt version, the messages as sent, the generation parameters, and the repeat (so the
/// repeats of a sampled item stay distinct answers). The JSON is compact, in a fixed member order, with text as UTF-8
/// (only quotes, backslashes and control characters escaped) and numbers in their shortest round-trip form.
/// </summary>
internal static class CacheKey
{
    public static string Of(string armIdentity, string promptVersion, ArmCall call)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("key_version", 1);
            json.WriteString("arm", armIdentity);
            json.WriteString("prompt_version", promptVersion);
            json.WriteStartArray("messages");
            foreach (var message in call.Messages)
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role);
                json.WriteString("content", message.Content);
                json.WriteString("name", message.Name);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("parameters");
            json.WriteNumber("max_tokens", call.Parameters.MaxTokens);
            json.WriteNumber("temperature", call.Parameters.Temperature);
            json.WriteNumber("top_p", call.Parameters.TopP);
            if (call.Parameters.Seed is { } seed)
            {
                json.WriteNumber("seed", seed);
            }
            else
            {
                json.WriteNull("seed");
            }

            json.WriteEndObject();
            json.WriteNumber("repeat", call.Repeat);
            json.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }
}
