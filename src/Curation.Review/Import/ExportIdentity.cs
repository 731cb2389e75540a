using System.Text.Json;
using Curation.Core;
using Curation.Review.Argilla;

namespace Curation.Review.Import;

/// <summary>
/// Which tool an export looks like it came from, told from its name and its first item: to choose a reader, and to
/// tell a user who named the other tool which one to name.
/// </summary>
/// <param name="Looks">What the export is, for messages: "an Argilla export (records with 'fields' and 'responses')".</param>
public sealed record ExportIdentity(ExportSource Tool, string Looks)
{
    /// <summary>The tool <paramref name="path"/> looks like; null when it does not look like either.</summary>
    public static ExportIdentity? Of(string path)
    {
        if (Directory.Exists(path))
        {
            return File.Exists(Path.Combine(path, ArgillaExportReader.RecordsFile)) || Directory.Exists(Path.Combine(path, ".argilla"))
                ? new(ExportSource.Argilla, "an Argilla dataset folder (as Dataset.to_disk writes it)")
                : null;
        }

        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            return new(ExportSource.LabelStudio, "a Label Studio CSV/TSV export");
        }

        return FirstItem(path) is { ValueKind: JsonValueKind.Object } item ? OfItem(item) : null;
    }

    private static ExportIdentity? OfItem(JsonElement item)
    {
        if (item.TryGetProperty("annotations", out _) || item.TryGetProperty("completions", out _) || item.TryGetProperty("data", out _))
        {
            return new(ExportSource.LabelStudio, "a Label Studio export (tasks with 'data' and 'annotations')");
        }

        if (item.TryGetProperty("fields", out _) || item.TryGetProperty("_server_id", out _) || item.TryGetProperty("responses", out _)
            || item.EnumerateObject().Any(p => p.Name.Contains(".responses", StringComparison.Ordinal) || p.Name.Contains(".suggestion", StringComparison.Ordinal)))
        {
            return new(ExportSource.Argilla, "an Argilla export (records with 'fields' and 'responses', or rows with 'question.responses' columns)");
        }

        return item.TryGetProperty("annotator", out _) || item.TryGetProperty("annotation_id", out _)
            ? new(ExportSource.LabelStudio, "a Label Studio JSON_MIN export (items with 'annotator')")
            : null;
    }

    // A file that is not JSON says nothing here; the reader chosen reports it with its own message.
    private static JsonElement FirstItem(string path)
    {
        try
        {
            if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            {
                var line = File.ReadLines(path).FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
                using var document = line is null ? null : JsonDocument.Parse(line);
                return document?.RootElement.Clone() ?? default;
            }

            return ExportFile.StreamArray(path, "a JSON array").FirstOrDefault();
        }
        catch (Exception ex) when (ex is JsonException or CurationException or IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }
}
