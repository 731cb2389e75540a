using System.Text;
using System.Text.Json;
using Curation.Core.Records;

namespace Curation.IO.Formats;

/// <summary>What a format reads from (the item's bytes and its scan) and where it puts the turns it finds.</summary>
internal readonly ref struct DecodeContext
{
    public DecodeContext(ReadOnlySpan<byte> json, TopLevelScan scan, FieldMapping mapping, DecodeScratch scratch)
    {
        Json = json;
        Scan = scan;
        Mapping = mapping;
        Messages = scratch.Messages;
        Text = scratch.Text;
    }

    public ReadOnlySpan<byte> Json { get; }

    public TopLevelScan Scan { get; }

    public FieldMapping Mapping { get; }

    public List<Message> Messages { get; }

    /// <summary>A reusable builder for content joined from parts.</summary>
    public StringBuilder Text { get; }

    public FieldPath PathOf(CanonicalField field) => new(Mapping.KeyOf(field));

    /// <summary>A reader positioned on the value of a field the scan found.</summary>
    public Utf8JsonReader ReaderAt(CanonicalField field)
    {
        var slice = Scan[field];
        var reader = new Utf8JsonReader(Json.Slice(slice.Start, slice.Length), JsonInput.ReaderOptions);
        reader.Read();
        return reader;
    }

    /// <summary>Reads a required string field and consumes it; a schema error when it is absent or not a string.</summary>
    public bool TryReadRequiredString(CanonicalField field, out string value, out string? error)
    {
        if (!Scan.Has(field))
        {
            value = string.Empty;
            error = FieldErrors.Missing(PathOf(field));
            return false;
        }

        Scan.Consume(field);
        var reader = ReaderAt(field);
        return JsonValues.TryReadString(ref reader, PathOf(field), out value, out error);
    }

    /// <summary>Reads an optional string field and consumes it; absent and null both read as null.</summary>
    public bool TryReadOptionalString(CanonicalField field, out string? value, out string? error)
    {
        if (!Scan.Has(field))
        {
            value = null;
            error = null;
            return true;
        }

        Scan.Consume(field);
        var reader = ReaderAt(field);
        return JsonValues.TryReadOptionalString(ref reader, PathOf(field), out value, out error);
    }

    /// <summary>
    /// Takes the turns of a conversation array field: those the scan converted already, or else reads them now
    /// (when the scan converted another field, or none).
    /// </summary>
    public bool TryReadConversation(CanonicalField field, ConversationReader read, out string? error)
    {
        if (!Scan.Has(field))
        {
            error = FieldErrors.Missing(PathOf(field));
            return false;
        }

        Scan.Consume(field);
        if (Scan.ConvertedField == field)
        {
            error = Scan.ConversionError;
            return error is null;
        }

        Messages.Clear();
        var reader = ReaderAt(field);
        return read(ref reader, PathOf(field), Messages, Text, out error);
    }

    /// <summary>
    /// Puts the top-level system prompt, when the record has a non-empty one, before the other turns. An empty
    /// system prompt is the same as none: datasets with a system column leave it empty on rows that have none.
    /// </summary>
    public bool TryAddSystemPrompt(out string? error)
    {
        if (!TryReadOptionalString(CanonicalField.System, out var system, out error))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(system))
        {
            Messages.Insert(0, new Message(Roles.System, system));
        }

        return true;
    }
}
