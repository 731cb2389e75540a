using System.Globalization;
using System.Text;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.Serving.Api;

/// <summary>
/// Reads OpenAI request bodies into checked requests; anything wrong is an <see cref="ApiError"/> (400) naming the
/// field and what was expected. Fields that would change the answer but are not implemented are refused, not ignored.
/// </summary>
internal static class RequestReader
{
    private const int MaxStopStrings = 4;

    // Fields that would change the answer in ways not implemented here: refused rather than silently ignored.
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "tools", "tool_choice", "functions", "function_call", "logit_bias", "audio", "modalities", "prediction", "best_of", "suffix",
    };

    public static ChatCompletionRequest Chat(JsonElement body)
    {
        var root = Object(body);
        var messages = Required(root, "messages");
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw ApiError.BadRequest("messages", "expected a non-empty array of messages");
        }

        var read = new List<Message>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            read.Add(ReadMessage(message, $"messages[{index++}]"));
        }

        CheckFlags(root, chat: true);
        return new ChatCompletionRequest(ModelOf(root), read, Parameters(root, defaultMaxTokens: null, maxTokenFields: ["max_completion_tokens", "max_tokens"]));
    }

    public static TextCompletionRequest Text(JsonElement body)
    {
        var root = Object(body);
        var prompt = Required(root, "prompt");
        IReadOnlyList<string> prompts = prompt.ValueKind switch
        {
            JsonValueKind.String => [prompt.GetString()!],
            JsonValueKind.Array when prompt.GetArrayLength() > 0 && prompt.EnumerateArray().All(p => p.ValueKind == JsonValueKind.String) =>
                [.. prompt.EnumerateArray().Select(p => p.GetString()!)],
            _ => throw ApiError.BadRequest("prompt", "expected a string or a non-empty array of strings (token ids are not accepted)"),
        };
        CheckFlags(root, chat: false);
        if (root.TryGetProperty("echo", out var echo) && echo.ValueKind == JsonValueKind.True)
        {
            throw ApiError.BadRequest("echo", "echoing the prompt is not supported");
        }

        var parameters = Parameters(root, defaultMaxTokens: 16, maxTokenFields: ["max_tokens"]);
        if (parameters.Stream && prompts.Count > 1)
        {
            throw ApiError.BadRequest("prompt", "streaming takes one prompt");
        }

        return new TextCompletionRequest(ModelOf(root), prompts, parameters);
    }

    private static JsonElement Object(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object ? body : throw new ApiError(400, "the request body must be a JSON object");

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : throw ApiError.BadRequest(name, "required");

    private static string ModelOf(JsonElement root)
    {
        var model = Required(root, "model");
        return model.ValueKind == JsonValueKind.String && model.GetString() is { Length: > 0 } name ? name : throw ApiError.BadRequest("model", "expected the name of a served model");
    }

    private static Message ReadMessage(JsonElement message, string path)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw ApiError.BadRequest(path, "expected an object with role and content");
        }

        var role = message.TryGetProperty("role", out var roleValue) && roleValue.ValueKind == JsonValueKind.String ? roleValue.GetString()! : null;
        role = role == "developer" ? Roles.System : role;
        if (role is null || !Roles.IsKnown(role))
        {
            throw ApiError.BadRequest($"{path}.role", "expected system, developer, user, assistant or tool");
        }

        if (message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind != JsonValueKind.Null)
        {
            throw ApiError.BadRequest($"{path}.tool_calls", "tool calls are not supported");
        }

        var content = message.TryGetProperty("content", out var contentValue) ? contentValue : default;
        var text = content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => TextParts(content, $"{path}.content"),
            JsonValueKind.Null or JsonValueKind.Undefined when role == Roles.Assistant => string.Empty,
            _ => throw ApiError.BadRequest($"{path}.content", "expected a string or an array of text parts"),
        };
        var name = message.TryGetProperty("name", out var nameValue) && nameValue.ValueKind == JsonValueKind.String ? nameValue.GetString() : null;
        return new Message(role, text) { Name = name };
    }

    private static string TextParts(JsonElement parts, string path)
    {
        var text = new StringBuilder();
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw ApiError.BadRequest(at, "expected a content part with a type");
            }

            if (type.GetString() != "text")
            {
                throw ApiError.BadRequest($"{at}.type", $"only text parts are supported; got '{type.GetString()}'");
            }

            text.Append(part.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw ApiError.BadRequest($"{at}.text", "expected a string"));
        }

        return text.ToString();
    }

    private static void CheckFlags(JsonElement root, bool chat)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (Unsupported.Contains(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
            {
                throw ApiError.BadRequest(property.Name, "not supported by this server");
            }
        }

        if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null && !(n.TryGetInt32(out var count) && count == 1))
        {
            throw ApiError.BadRequest("n", "only 1 choice per request is supported");
        }

        if (root.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind is not (JsonValueKind.Null or JsonValueKind.False)
            && !(!chat && logprobs.ValueKind == JsonValueKind.Number && logprobs.GetDouble() == 0))
        {
            throw ApiError.BadRequest("logprobs", "log probabilities are not supported");
        }

        if (root.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object
            && format.TryGetProperty("type", out var formatType) && formatType.GetString() != "text")
        {
            throw ApiError.BadRequest("response_format", $"only type 'text' is supported; got '{formatType}'");
        }

        foreach (var penalty in new[] { "frequency_penalty", "presence_penalty" })
        {
            if (root.TryGetProperty(penalty, out var value) && value.ValueKind != JsonValueKind.Null && !(value.ValueKind == JsonValueKind.Number && value.GetDouble() == 0))
            {
                throw ApiError.BadRequest(penalty, "penalties are not supported; send 0 or leave it out");
            }
        }
    }

    private static GenerationParameters Parameters(JsonElement root, int? defaultMaxTokens, string[] maxTokenFields)
    {
        int? maxTokens = defaultMaxTokens;
        foreach (var field in maxTokenFields)
        {
            if (root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                maxTokens = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var tokens) && tokens >= 1
                    ? tokens
                    : throw ApiError.BadRequest(field, $"expected an integer of at least 1; got {value.GetRawText()}");
                break;
            }
        }

        var temperature = Number(root, "temperature", 1.0, 0, 2);
        var topP = Number(root, "top_p", 1.0, 0, 1);
        if (topP <= 0)
        {
            throw ApiError.BadRequest("top_p", "expected a number above 0 and at most 1; got 0");
        }

        var topK = (int)Integer(root, "top_k", 0, -1, int.MaxValue);
        long? seed = root.TryGetProperty("seed", out var seedValue) && seedValue.ValueKind != JsonValueKind.Null
            ? seedValue.TryGetInt64(out var s) ? s : throw ApiError.BadRequest("seed", $"expected an integer; got {seedValue.GetRawText()}")
            : null;
        var stream = Flag(root, "stream");
        var includeUsage = root.TryGetProperty("stream_options", out var options) && options.ValueKind == JsonValueKind.Object && Flag(options, "include_usage");
        return new GenerationParameters(maxTokens, temperature, topP, Math.Max(topK, 0), seed, StopOf(root), stream, includeUsage);
    }

    private static List<string> StopOf(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        List<string> strings = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) => [.. stop.EnumerateArray().Select(s => s.GetString()!)],
            _ => throw ApiError.BadRequest("stop", "expected a string or an array of strings"),
        };
        if (strings.Count > MaxStopStrings || strings.Any(s => s.Length == 0))
        {
            throw ApiError.BadRequest("stop", string.Create(CultureInfo.InvariantCulture, $"expected at most {MaxStopStrings} non-empty strings"));
        }

        return strings;
    }

    private static double Number(JsonElement root, string name, double fallback, double min, double max)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Number && value.GetDouble() is var number && number >= min && number <= max
            ? number
            : throw ApiError.BadRequest(name, string.Create(CultureInfo.InvariantCulture, $"expected a number from {min} to {max}; got {value.GetRawText()}"));
    }

    private static long Integer(JsonElement root, string name, long fallback, long min, long max)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= min && number <= max
            ? number
            : throw ApiError.BadRequest(name, string.Create(CultureInfo.InvariantCulture, $"expected an integer from {min} to {max}; got {value.GetRawText()}"));
    }

    private static bool Flag(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw ApiError.BadRequest(name, $"expected true or false; got {value.GetRawText()}"),
        };
}
