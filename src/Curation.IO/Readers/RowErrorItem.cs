using System.Text.Json;

namespace Curation.IO.Readers;

/// <summary>
/// The contract for a table row that cannot become a record (e.g. a CSV row with more or fewer cells than the
/// header): the reader still emits an item, so the row is counted and rejected rather than lost, whose JSON is an
/// object with the single property <see cref="PropertyName"/> holding the problem. The decoder turns such an item
/// into a reject with rule <see cref="RejectRule"/>.
/// </summary>
public static class RowErrorItem
{
    public const string PropertyName = "$error";

    public const string RejectRule = "malformed-row";

    private static readonly JsonEncodedText EncodedName = JsonEncodedText.Encode(PropertyName);

    internal static void Write(Utf8JsonWriter writer, string message)
    {
        writer.WriteStartObject();
        writer.WriteString(EncodedName, message);
        writer.WriteEndObject();
    }
}
