using System.Text;
using System.Text.Json;
using Curation.Core.Records;
using Curation.IO.Writers;

namespace Curation.IO.Formats;

/// <summary>
/// OpenAI chat fine-tuning records: <c>{"messages": [{"role", "content", "weight"?, "name"?}]}</c>. Roles are
/// kept as written (role mapping and validation come later). Tool-call fields are refused rather than dropped,
/// because the turns would lose what they say.
/// </summary>
internal static class OpenAiMessagesFormat
{
    public static bool Matches(TopLevelScan scan) => scan.Has(CanonicalField.Messages);

    public static bool TryConvert(DecodeContext context, out string? error) =>
        context.TryReadConversation(CanonicalField.Messages, TryReadMessages, out error)
        && context.TryAddSystemPrompt(out error);

    /// <inheritdoc cref="ConversationReader"/>
    public static bool TryReadMessages(ref Utf8JsonReader reader, in FieldPath path, List<Message> messages, StringBuilder text, out string? error)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = FieldErrors.Expected(path, "an array", reader.TokenType);
            return false;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!TryReadMessage(ref reader, path.At(index), text, out var message, out error))
            {
                return false;
            }

            messages.Add(message);
            index++;
        }

        error = null;
        return true;
    }

    public static void Write(Utf8JsonWriter writer, ChatRecord record, JsonlEncodingOptions options)
    {
        writer.WriteStartObject();
        if (options.IncludeId)
        {
            JsonText.WriteString(writer, JsonOutput.Id, record.Id);
        }

        JsonOutput.WriteMessages(writer, record.Messages);
        if (options.IncludeMetadata)
        {
            JsonOutput.WriteMetadata(writer, record.Metadata);
        }

        writer.WriteEndObject();
    }

    private static bool TryReadMessage(ref Utf8JsonReader reader, in FieldPath path, StringBuilder text, out Message message, out string? error)
    {
        message = null!;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = FieldErrors.Expected(path, "an object", reader.TokenType);
            return false;
        }

        string? role = null;
        string? content = null;
        double? weight = null;
        string? name = null;
        var keys = new ObjectKeys();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!keys.TryAdd(ref reader, out var key))
            {
                error = FieldErrors.Repeated(path.Dot(key));
                return false;
            }

            if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                if (!JsonValues.TryReadString(ref reader, path.Dot("role"), out var value, out error))
                {
                    return false;
                }

                role = value;
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (!MessageContent.TryRead(ref reader, path.Dot("content"), text, out var value, out error))
                {
                    return false;
                }

                content = value;
            }
            else if (TurnOptionalFields.IsOne(ref reader))
            {
                if (!TurnOptionalFields.TryRead(ref reader, path, ref weight, ref name, out error))
                {
                    return false;
                }
            }
            else if (IsToolCallKey(ref reader, out var toolKey))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    error = $"field '{path.Dot(toolKey)}': tool calls are not supported; a turn keeps only role, content, weight and name";
                    return false;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (role is null)
        {
            error = FieldErrors.Missing(path.Dot("role"));
            return false;
        }

        if (content is null)
        {
            error = FieldErrors.Missing(path.Dot("content"));
            return false;
        }

        message = new Message(role, content) { Weight = weight, Name = name };
        error = null;
        return true;
    }

    private static bool IsToolCallKey(ref Utf8JsonReader reader, out string key)
    {
        key = reader.ValueTextEquals("tool_calls"u8) ? "tool_calls"
            : reader.ValueTextEquals("function_call"u8) ? "function_call"
            : reader.ValueTextEquals("tool_call_id"u8) ? "tool_call_id"
            : string.Empty;
        return key.Length > 0;
    }
}
