using System.Text.Json;

namespace Curation.IO.Formats;

/// <summary>Reader settings and type names shared by the decoder and the formats.</summary>
internal static class JsonInput
{
    /// <summary>Deeper than the default 64 so that deeply nested metadata still reads.</summary>
    public static JsonReaderOptions ReaderOptions { get; } = new() { MaxDepth = 128 };

    public static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => type.ToString().ToLowerInvariant(),
    };
}
