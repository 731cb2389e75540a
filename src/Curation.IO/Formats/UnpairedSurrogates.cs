using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Curation.IO.Formats;

/// <summary>
/// Finds a string or key inside a JSON value that escapes half of a surrogate pair without the other half
/// (<c>"\ud800"</c>). JSON allows the escape, but no UTF-8 output can hold the character: a value kept as metadata
/// with one could not be written out.
/// </summary>
internal static class UnpairedSurrogates
{
    /// <summary>The path of the first such string or key, such as <c>meta.tags[2]</c>; null when there is none.</summary>
    public static string? Find(JsonElement value, string path)
    {
        // Only an escape can produce one (the text itself is valid UTF-8): most values have none and are not walked.
        return JsonMarshal.GetRawUtf8Value(value).IndexOf("\\u"u8) < 0 ? null : Walk(value, path);
    }

    private static string? Walk(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return Unreadable(value) ? path : null;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (UnreadableName(property))
                    {
                        return path;
                    }

                    if (Walk(property.Value, $"{path}.{property.Name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (Walk(item, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]") is { } found)
                    {
                        return found;
                    }

                    index++;
                }

                return null;
            default:
                return null;
        }
    }

    // System.Text.Json refuses to unescape such a string or key: the same refusal that would stop the output writer.
    private static bool Unreadable(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static bool UnreadableName(JsonProperty property)
    {
        try
        {
            _ = property.Name;
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
