using System.Text.Json;

namespace Curation.IO.Formats;

/// <summary>The optional per-turn fields every chat shape shares: <c>weight</c> (number or null) and <c>name</c> (string or null).</summary>
internal static class TurnOptionalFields
{
    /// <summary>True when the reader is on the property name "weight" or "name".</summary>
    public static bool IsOne(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("weight"u8) || reader.ValueTextEquals("name"u8);

    /// <summary>Reads the value of the property the reader is on (see <see cref="IsOne"/>) into <paramref name="weight"/> or <paramref name="name"/>.</summary>
    public static bool TryRead(ref Utf8JsonReader reader, in FieldPath path, ref double? weight, ref string? name, out string? error)
    {
        var isWeight = reader.ValueTextEquals("weight"u8);
        reader.Read();
        return isWeight
            ? JsonValues.TryReadOptionalNumber(ref reader, path.Dot("weight"), out weight, out error)
            : JsonValues.TryReadOptionalString(ref reader, path.Dot("name"), out name, out error);
    }
}
