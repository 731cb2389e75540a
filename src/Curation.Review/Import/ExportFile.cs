using System.Globalization;
using System.Text.Json;
using Curation.Core;

namespace Curation.Review.Import;

/// <summary>Reads an export file as JSON, turning a truncated or damaged file into one clear error.</summary>
internal static class ExportFile
{
    private static readonly JsonSerializerOptions ArrayOptions = new() { AllowTrailingCommas = true };

    /// <summary>
    /// The elements of a top-level JSON array one at a time, so a large export is never held whole; a file that is not
    /// an array, or is cut off, is an error naming where.
    /// </summary>
    public static IEnumerable<JsonElement> StreamArray(string path, string expected)
    {
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, ex);
        }

        using (stream)
        {
            var first = FirstSignificantByte(stream);
            if (first != '[')
            {
                throw new CurationException($"{path}: expected {expected}, got {(first < 0 ? "an empty file" : $"a file starting with '{(char)first}'")}");
            }

            stream.Position = 0;
            using var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, ArrayOptions).ToBlockingEnumerable().GetEnumerator();
            while (true)
            {
                try
                {
                    if (!elements.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (JsonException ex)
                {
                    throw new CurationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{path}: not valid JSON at line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}: the export is truncated or damaged; nothing was imported"), ex);
                }

                yield return elements.Current;
            }
        }
    }

    private static int FirstSignificantByte(Stream stream)
    {
        int value;
        while ((value = stream.ReadByte()) is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF)
        {
        }

        return value;
    }

    /// <summary>The lines of a text file, read at once; a file that cannot be read is one line naming it.</summary>
    public static string[] ReadAllLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, ex);
        }
    }

    /// <summary>Opens a text file; a file that cannot be read is one line naming it.</summary>
    public static StreamReader OpenText(string path)
    {
        try
        {
            return new StreamReader(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, ex);
        }
    }

    public static CurationException CannotRead(string path, Exception ex) => new($"{path}: cannot read: {ex.Message}", ex);

    /// <summary>Every line of a JSONL file as JSON; a bad line is an error naming it.</summary>
    public static List<JsonElement> ParseJsonLines(string path)
    {
        var lines = new List<JsonElement>();
        var number = 0;
        foreach (var text in ReadAllLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var line = JsonDocument.Parse(text);
                lines.Add(line.RootElement.Clone());
            }
            catch (JsonException ex)
            {
                throw new CurationException(string.Create(
                    CultureInfo.InvariantCulture, $"{path}:{number}: not valid JSON ({ex.Message}): the export is truncated or damaged; nothing was imported"), ex);
            }
        }

        return lines;
    }

    /// <summary>A task or record id: a string or a number as text; null when absent or null.</summary>
    /// <exception cref="CurationException">The id is another type: the message names where and the field.</exception>
    public static string? OptionalId(JsonElement item, string field, string where)
    {
        if (!item.TryGetProperty(field, out var id))
        {
            return null;
        }

        return id.ValueKind switch
        {
            JsonValueKind.String or JsonValueKind.Number => id.ToString(),
            JsonValueKind.Null => null,
            _ => throw new CurationException($"{where}: field '{field}': expected an id (a string or a number), got {Describe(id)}"),
        };
    }

    /// <summary>What a JSON value is, for messages: "a number", "an object", "a list", "null".</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>The text of a reviewer id as tools write it: a string, a number, or an object with an email or id.</summary>
    public static string Reviewer(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object when value.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String => email.GetString()!,
        JsonValueKind.Object when value.TryGetProperty("id", out var id) => Reviewer(id),
        _ => "unknown",
    };
}
