using Curation.Core.Records;

namespace Curation.IO.Writers;

/// <summary>
/// Writes an OpenAI record straight into the output buffer, byte for byte what <see cref="Formats.OpenAiMessagesFormat.Write"/>
/// writes through <see cref="System.Text.Json.Utf8JsonWriter"/>, without the writer's state checks and its copy of
/// every string value. Only records without metadata and with weights of 0 or 1 (or none) are written here; the
/// number and metadata formatting of the general writer stays the only one.
/// </summary>
internal static class CompactOpenAiLine
{
    /// <summary>Writes the record as one compact JSON object (no newline); false, having written nothing, when it is not one this writer takes.</summary>
    public static bool TryWrite(PooledByteBuffer output, ChatRecord record, JsonlEncodingOptions options)
    {
        if (!IsTaken(record, options))
        {
            return false;
        }

        output.Write((byte)'{');
        if (options.IncludeId)
        {
            output.Write("\"id\":"u8);
            JsonText.WriteQuoted(output, record.Id);
            output.Write((byte)',');
        }

        output.Write("\"messages\":["u8);
        var first = true;
        foreach (var message in record.Messages)
        {
            output.Write(first ? "{\"role\":"u8 : ",{\"role\":"u8);
            first = false;
            JsonText.WriteQuoted(output, message.Role);
            output.Write(",\"content\":"u8);
            JsonText.WriteQuoted(output, message.Content);
            if (message.Weight is { } weight)
            {
                output.Write(weight == 1 ? ",\"weight\":1"u8 : ",\"weight\":0"u8);
            }

            if (message.Name is { } name)
            {
                output.Write(",\"name\":"u8);
                JsonText.WriteQuoted(output, name);
            }

            output.Write((byte)'}');
        }

        output.Write("]}"u8);
        return true;
    }

    private static bool IsTaken(ChatRecord record, JsonlEncodingOptions options)
    {
        if (record.Messages.IsDefault || (options.IncludeMetadata && !record.Metadata.IsEmpty))
        {
            return false;
        }

        foreach (var message in record.Messages)
        {
            // 0 and 1 print the same in every number format; -0 does not.
            if (message.Weight is { } weight && !(weight == 1 || (weight == 0 && !double.IsNegative(weight))))
            {
                return false;
            }
        }

        return true;
    }
}
