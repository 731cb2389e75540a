using System.Text.Json;
using Curation.Core.Config;
using Curation.IO.Formats;

namespace Curation.IO.Diagnosis;

/// <summary>
/// Recognises JSON laid out otherwise than the file's name promises: a JSON array or pretty-printed records in a
/// .jsonl file, or records wrapped in an object such as <c>{"data": [...]}</c>.
/// </summary>
internal static class JsonLayoutSniffer
{
    private static readonly string[] ShapeFields = ["messages", "conversations", "instruction", "prompt", "text"];

    /// <summary>A .jsonl file: each line should be one record.</summary>
    public static string? ExplainLines(ReadOnlySpan<byte> head, InputOptions options)
    {
        var json = SkipWhitespace(Utf8Bom.Skip(head));
        if (json.IsEmpty)
        {
            return null;
        }

        var newline = json.IndexOf((byte)'\n');
        var firstLine = newline < 0 ? json : json[..newline];
        if (newline >= 0 && !IsCompleteValue(firstLine) && FirstValueSpansLines(json, newline))
        {
            return json[0] == (byte)'['
                ? "the file is one JSON array, not one record per line: name it .json, or convert it, e.g. jq -c '.[]'"
                : "the records span several lines (pretty-printed JSON); JSON Lines needs one record per line: convert it, e.g. jq -c .";
        }

        return ExplainWrapper(firstLine, options);
    }

    /// <summary>A .json file: a top-level array of records, or records one per line.</summary>
    public static string? ExplainDocument(ReadOnlySpan<byte> head, InputOptions options) =>
        ExplainWrapper(SkipWhitespace(Utf8Bom.Skip(head)), options);

    /// <summary>An object with no record field of its own whose member holds an array of objects: the records, wrapped.</summary>
    private static string? ExplainWrapper(ReadOnlySpan<byte> json, InputOptions options)
    {
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            return null;
        }

        var shapeKeys = ShapeKeys(options);
        var reader = new Utf8JsonReader(json, isFinalBlock: false, default);
        string? wrapper = null;
        try
        {
            reader.Read();

            // The head may end anywhere: stop at the first value that runs past it, with what was seen so far.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                if (shapeKeys.Contains(key))
                {
                    return null;
                }

                if (!reader.Read())
                {
                    break;
                }

                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    if (!reader.Read())
                    {
                        break;
                    }

                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        wrapper ??= key;
                    }

                    if (!SkipToEndOfArray(ref reader))
                    {
                        break;
                    }
                }
                else if (!reader.TrySkip())
                {
                    break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return wrapper is null
            ? null
            : $"the records are wrapped in one object, under '{wrapper}'; curate reads a top-level array or one record per line: unwrap them, e.g. jq -c '.{wrapper}[]'";
    }

    /// <summary>From anywhere inside a top-level member's array to its closing bracket; false when the data runs out.</summary>
    private static bool SkipToEndOfArray(ref Utf8JsonReader reader)
    {
        while (reader.CurrentDepth > 1 || reader.TokenType != JsonTokenType.EndArray)
        {
            if (!reader.Read())
            {
                return false;
            }
        }

        return true;
    }

    private static HashSet<string> ShapeKeys(InputOptions options)
    {
        var keys = new HashSet<string>(ShapeFields, StringComparer.Ordinal);
        foreach (var key in options.Fields.Values)
        {
            keys.Add(key);
        }

        return keys;
    }

    /// <summary>
    /// Whether the first value goes on past the first line, as valid JSON: a bad first line followed by good ones is
    /// a broken record, not a layout. A value longer than the head counts, unless it went wrong before the head ended.
    /// </summary>
    private static bool FirstValueSpansLines(ReadOnlySpan<byte> json, int newline)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, default);
        try
        {
            return !reader.Read() || !reader.TrySkip() || reader.BytesConsumed > newline;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsCompleteValue(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, isFinalBlock: true, default);
        try
        {
            reader.Read();
            reader.Skip();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ReadOnlySpan<byte> SkipWhitespace(ReadOnlySpan<byte> json) => json.TrimStart(" \t\r\n"u8);
}
