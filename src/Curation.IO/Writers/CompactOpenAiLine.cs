using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.IO.Writers;

/// <summary>
/// Writes an OpenAI record straight into the output buffer, byte for byte what <see cref="Formats.OpenAiMessagesFormat.Write"/>
/// writes through <see cref="System.Text.Json.Utf8JsonWriter"/>, without the writer's state checks and its copy of
/// every string value. Only records whose metadata values are strings, numbers, booleans or nulls (near-dedup's
/// cluster fields, a score) and whose weights are 0 or 1 (or none) are written here; nested metadata values and other
/// weights are left to the general writer.
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

        if (options.IncludeId && record.Verbatim is { } line && line.Matches(record))
        {
            output.Write(line.Utf8.Span);
            return true;
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

        output.Write((byte)']');
        if (options.IncludeMetadata && !record.Metadata.IsEmpty)
        {
            WriteMetadata(output, record.Metadata);
        }

        output.Write((byte)'}');
        return true;
    }

    /// <summary>As <see cref="JsonOutput.WriteMetadata"/> writes scalar values: keys and strings escaped as every string is, numbers as their text.</summary>
    private static void WriteMetadata(PooledByteBuffer output, ImmutableSortedDictionary<string, JsonElement> metadata)
    {
        output.Write(",\"metadata\":{"u8);
        var first = true;
        foreach (var (key, value) in metadata)
        {
            if (!first)
            {
                output.Write((byte)',');
            }

            first = false;
            JsonText.WriteQuoted(output, key);
            output.Write((byte)':');
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    JsonText.WriteQuoted(output, value.GetString()!);
                    break;
                case JsonValueKind.Number:
                    output.Write(JsonMarshal.GetRawUtf8Value(value));
                    break;
                case JsonValueKind.True:
                    output.Write("true"u8);
                    break;
                case JsonValueKind.False:
                    output.Write("false"u8);
                    break;
                default:
                    output.Write("null"u8);
                    break;
            }
        }

        output.Write((byte)'}');
    }

    private static bool IsTaken(ChatRecord record, JsonlEncodingOptions options)
    {
        if (record.Messages.IsDefault)
        {
            return false;
        }

        if (options.IncludeMetadata)
        {
            foreach (var (_, value) in record.Metadata)
            {
                if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
                {
                    return false;
                }
            }
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
