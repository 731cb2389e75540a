using System.Text;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.TestKit.Stages;

/// <summary>Every field of a record or reject as one line of JSON, so that two runs' outputs compare byte for byte.</summary>
public static class RecordText
{
    public static string Of(ChatRecord record) => Line(writer => Write(writer, record));

    public static string Of(Reject reject) => Line(writer =>
    {
        ArgumentNullException.ThrowIfNull(reject);
        writer.WriteStartObject();
        writer.WriteString("stage", reject.Stage);
        writer.WriteString("rule", reject.Rule);
        writer.WriteString("detail", reject.Detail);
        writer.WriteString("source", reject.Source.ToString());
        writer.WriteString("raw_text", reject.RawText);
        writer.WriteString("raw_base64", reject.RawBase64);
        writer.WritePropertyName("record");
        if (reject.Record is { } record)
        {
            Write(writer, record);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndObject();
    });

    private static void Write(Utf8JsonWriter writer, ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteBoolean("has_input_id", record.HasInputId);
        writer.WriteString("source", record.Source.ToString());
        writer.WriteStartArray("messages");
        foreach (var message in record.Messages.IsDefault ? [] : record.Messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role);
            writer.WriteString("content", message.Content);
            writer.WriteString("name", message.Name);
            if (message.Weight is { } weight)
            {
                writer.WriteNumber("weight", weight);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("metadata");
        foreach (var (key, value) in record.Metadata)
        {
            writer.WritePropertyName(key);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string Line(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
