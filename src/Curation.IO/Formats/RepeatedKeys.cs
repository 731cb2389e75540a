using System.Globalization;
using System.Text.Json;

namespace Curation.IO.Formats;

/// <summary>
/// Finds a key given twice in one object anywhere inside a JSON value. A value kept as metadata would otherwise be
/// written out with the key twice, and whatever reads the output would keep one of the values without a word.
/// </summary>
internal static class RepeatedKeys
{
    /// <summary>The path of the first repeated key, such as <c>meta.tags[2].lang</c>; null when there is none.</summary>
    public static string? Find(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? names = null;
                foreach (var property in value.EnumerateObject())
                {
                    if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(property.Name))
                    {
                        return $"{path}.{property.Name}";
                    }

                    if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array
                        && Find(property.Value, $"{path}.{property.Name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array
                        && Find(item, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]") is { } found)
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
}
