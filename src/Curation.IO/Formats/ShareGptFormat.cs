using System.Text;
using System.Text.Json;
using Curation.Core.Records;
using Curation.IO.Writers;

namespace Curation.IO.Formats;

/// <summary>
/// ShareGPT records: <c>{"conversations": [{"from", "value"}]}</c>, also with role/content keys in the turns and
/// an optional top-level "system". Speaker names are mapped to chat roles (human → user, gpt → assistant,
/// observation → tool...); unknown names stay as written for role validation to judge.
/// </summary>
internal static class ShareGptFormat
{
    private static readonly JsonEncodedText Conversations = JsonEncodedText.Encode("conversations");
    private static readonly JsonEncodedText From = JsonEncodedText.Encode("from");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");

    public static bool Matches(TopLevelScan scan) => scan.Has(CanonicalField.Conversations);

    public static bool TryConvert(DecodeContext context, out string? error) =>
        context.TryReadConversation(CanonicalField.Conversations, TryReadTurns, out error)
        && context.TryAddSystemPrompt(out error);

    /// <inheritdoc cref="ConversationReader"/>
    public static bool TryReadTurns(ref Utf8JsonReader reader, in FieldPath path, List<Message> messages, StringBuilder text, out string? error)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            error = FieldErrors.Expected(path, "an array", reader.TokenType);
            return false;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!TryReadTurn(ref reader, path.At(index), text, out var message, out error))
            {
                return false;
            }

            messages.Add(message);
            index++;
        }

        error = null;
        return true;
    }

    /// <summary>ShareGPT has a speaker for each chat role but no per-turn name.</summary>
    public static bool CanRepresent(ChatRecord record, out string reason)
    {
        for (var i = 0; i < record.Messages.Length; i++)
        {
            var message = record.Messages[i];
            if (ShareGptRoles.FromChatRole(message.Role) is null)
            {
                reason = $"turn {i + 1} has role '{message.Role}', which has no ShareGPT speaker name";
                return false;
            }

            if (message.Name is not null)
            {
                reason = $"turn {i + 1} has name '{message.Name}'; ShareGPT turns have no name";
                return false;
            }
        }

        reason = string.Empty;
        return true;
    }

    public static void Write(Utf8JsonWriter writer, ChatRecord record, JsonlEncodingOptions options)
    {
        writer.WriteStartObject();
        if (options.IncludeId)
        {
            JsonText.WriteString(writer, JsonOutput.Id, record.Id);
        }

        writer.WriteStartArray(Conversations);
        foreach (var message in record.Messages)
        {
            writer.WriteStartObject();
            writer.WriteString(From, ShareGptRoles.FromChatRole(message.Role));
            JsonText.WriteString(writer, Value, message.Content);
            if (message.Weight is { } weight)
            {
                writer.WriteNumber(JsonOutput.Weight, weight);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (options.IncludeMetadata)
        {
            JsonOutput.WriteMetadata(writer, record.Metadata);
        }

        writer.WriteEndObject();
    }

    private static bool TryReadTurn(ref Utf8JsonReader reader, in FieldPath path, StringBuilder text, out Message message, out string? error)
    {
        message = null!;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = FieldErrors.Expected(path, "an object", reader.TokenType);
            return false;
        }

        string? from = null;
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

            if (reader.ValueTextEquals("from"u8))
            {
                reader.Read();
                if (!JsonValues.TryReadString(ref reader, path.Dot("from"), out var value, out error))
                {
                    return false;
                }

                from = value;
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                if (!JsonValues.TryReadString(ref reader, path.Dot("role"), out var value, out error))
                {
                    return false;
                }

                role = value;
            }
            else if (key is "value" or "content")
            {
                reader.Read();
                if (!MessageContent.TryRead(ref reader, path.Dot(key), text, out var value, out error))
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
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var speaker = from ?? role;
        if (speaker is null)
        {
            error = FieldErrors.Missing(path.Dot("from"));
            return false;
        }

        if (content is null)
        {
            error = FieldErrors.Missing(path.Dot("value"));
            return false;
        }

        message = new Message(ShareGptRoles.ToChatRole(speaker), content) { Weight = weight, Name = name };
        error = null;
        return true;
    }
}
