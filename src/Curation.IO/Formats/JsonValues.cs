using System.Text.Json;

namespace Curation.IO.Formats;

/// <summary>Reads typed values at a reader's current token, with a schema error naming the field when the type is wrong.</summary>
internal static class JsonValues
{
    public static bool TryReadString(ref Utf8JsonReader reader, in FieldPath path, out string value, out string? error)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            value = string.Empty;
            error = FieldErrors.Expected(path, "a string", reader.TokenType);
            return false;
        }

        try
        {
            value = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Valid JSON may still escape half of a surrogate pair ("\ud800"), which no .NET string can hold faithfully.
            value = string.Empty;
            error = $"field '{path}': the string holds an unpaired surrogate escape (\\uD800-\\uDFFF) and is not valid text";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>An optional string: null reads as absent.</summary>
    public static bool TryReadOptionalString(ref Utf8JsonReader reader, in FieldPath path, out string? value, out string? error)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            value = null;
            error = null;
            return true;
        }

        var ok = TryReadString(ref reader, path, out var text, out error);
        value = ok ? text : null;
        return ok;
    }

    /// <summary>An optional number such as a message weight: null reads as absent.</summary>
    public static bool TryReadOptionalNumber(ref Utf8JsonReader reader, in FieldPath path, out double? value, out string? error)
    {
        value = null;
        error = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number when reader.TryGetDouble(out var number) && double.IsFinite(number):
                value = number;
                return true;
            default:
                error = FieldErrors.Expected(path, "a number", reader.TokenType);
                return false;
        }
    }
}
