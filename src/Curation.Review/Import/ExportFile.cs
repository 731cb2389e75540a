using System.Globalization;
using System.Text.Json;
using Curation.Core;

namespace Curation.Review.Import;

/// <summary>Reads an export file as JSON, turning a truncated or damaged file into one clear error.</summary>
internal static class ExportFile
{
    public static JsonDocument ParseJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new CurationException(string.Create(
                CultureInfo.InvariantCulture,
                $"{path}: not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: the export is truncated or damaged; nothing was imported"), ex);
        }
        catch (IOException ex)
        {
            throw new CurationException($"{path}: cannot read: {ex.Message}", ex);
        }
    }

    /// <summary>Every line of a JSONL file as JSON; a bad line is an error naming it.</summary>
    public static List<JsonElement> ParseJsonLines(string path)
    {
        var lines = new List<JsonElement>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
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
