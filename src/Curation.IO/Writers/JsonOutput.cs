using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.IO.Writers;

/// <summary>Writer settings and the pieces every JSON output shares: ids, message lists and metadata.</summary>
internal static class JsonOutput
{
    /// <summary>Compact, with escaping that keeps all non-ASCII text as is.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = RelaxedJsonEncoder.Instance,
        Indented = false,
        SkipValidation = false,
    };

    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
    public static readonly JsonEncodedText Metadata = JsonEncodedText.Encode("metadata");
    public static readonly JsonEncodedText Role = JsonEncodedText.Encode("role");
    public static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
    public static readonly JsonEncodedText Weight = JsonEncodedText.Encode("weight");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");

    /// <summary>{"role", "content", "weight"?, "name"?} for each turn, as an array value.</summary>
    public static void WriteMessages(Utf8JsonWriter writer, ImmutableArray<Message> messages)
    {
        writer.WriteStartArray(Messages);
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            JsonText.WriteString(writer, Role, message.Role);
            JsonText.WriteString(writer, Content, message.Content);
            if (message.Weight is { } weight)
            {
                writer.WriteNumber(Weight, weight);
            }

            if (message.Name is { } name)
            {
                JsonText.WriteString(writer, Name, name);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>"metadata": {...} with keys in the record's (ordinal) order; nothing when there is none.</summary>
    public static void WriteMetadata(Utf8JsonWriter writer, ImmutableSortedDictionary<string, JsonElement> metadata)
    {
        if (metadata.IsEmpty)
        {
            return;
        }

        writer.WriteStartObject(Metadata);
        WriteMetadataEntries(writer, metadata);
        writer.WriteEndObject();
    }

    /// <summary>The metadata as one JSON object text, for columnar outputs.</summary>
    public static void WriteMetadataObject(Utf8JsonWriter writer, ImmutableSortedDictionary<string, JsonElement> metadata)
    {
        writer.WriteStartObject();
        WriteMetadataEntries(writer, metadata);
        writer.WriteEndObject();
    }

    private static void WriteMetadataEntries(Utf8JsonWriter writer, ImmutableSortedDictionary<string, JsonElement> metadata)
    {
        foreach (var (key, value) in metadata)
        {
            writer.WritePropertyName(key);
            value.WriteTo(writer);
        }
    }
}
