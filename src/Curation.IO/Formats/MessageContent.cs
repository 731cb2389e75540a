using System.Text;
using System.Text.Json;

namespace Curation.IO.Formats;

/// <summary>
/// Reads a turn's content: a string, or an array of <c>{"type": "text", "text": ...}</c> parts whose texts are
/// joined with nothing between them, as chat templates render them. Any other part (image, audio) is a schema
/// error naming the part, since dropping it would change what the turn says.
/// </summary>
internal static class MessageContent
{
    public static bool TryRead(ref Utf8JsonReader reader, in FieldPath path, StringBuilder text, out string value, out string? error)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return JsonValues.TryReadString(ref reader, path, out value, out error);
            case JsonTokenType.StartArray:
                return TryReadParts(ref reader, path, text, out value, out error);
            default:
                value = string.Empty;
                error = FieldErrors.Expected(path, "a string or an array of text parts", reader.TokenType);
                return false;
        }
    }

    private static bool TryReadParts(ref Utf8JsonReader reader, in FieldPath path, StringBuilder text, out string value, out string? error)
    {
        value = string.Empty;
        string? single = null;
        var count = 0;
        text.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var partPath = path.At(count);
            if (!TryReadPart(ref reader, partPath, out var partText, out error))
            {
                return false;
            }

            if (count == 0)
            {
                single = partText;
            }
            else
            {
                if (count == 1)
                {
                    text.Append(single);
                }

                text.Append(partText);
            }

            count++;
        }

        value = count switch
        {
            0 => string.Empty,
            1 => single!,
            _ => text.ToString(),
        };
        error = null;
        return true;
    }

    private static bool TryReadPart(ref Utf8JsonReader reader, in FieldPath partPath, out string partText, out string? error)
    {
        partText = string.Empty;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = FieldErrors.Expected(partPath, "an object with type and text", reader.TokenType);
            return false;
        }

        string? type = null;
        string? textValue = null;
        var keys = new ObjectKeys();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!keys.TryAdd(ref reader, out var key))
            {
                error = FieldErrors.Repeated(partPath.Dot(key));
                return false;
            }

            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (!JsonValues.TryReadString(ref reader, partPath.Dot("type"), out var typeValue, out error))
                {
                    return false;
                }

                type = typeValue;
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (!JsonValues.TryReadString(ref reader, partPath.Dot("text"), out var textRead, out error))
                {
                    return false;
                }

                textValue = textRead;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (type is null)
        {
            error = FieldErrors.Missing(partPath.Dot("type"));
            return false;
        }

        if (!string.Equals(type, "text", StringComparison.Ordinal))
        {
            error = $"field '{partPath.Dot("type")}': expected 'text', got '{type}' (only text parts can be kept)";
            return false;
        }

        if (textValue is null)
        {
            error = FieldErrors.Missing(partPath.Dot("text"));
            return false;
        }

        partText = textValue;
        error = null;
        return true;
    }
}
