using System.Text.Json;
using Curation.Core;
using Curation.Review.Argilla;
using Curation.Review.Decisions;
using Curation.Review.LabelStudio;

namespace Curation.Review.Import;

/// <summary>Which tool wrote an export; <see cref="Auto"/> tells from the file.</summary>
public enum ExportSource
{
    Auto,
    LabelStudio,
    Argilla,
}

/// <summary>
/// Reads a review tool's export, turns it into decisions and adds them to the store: every task is read and checked
/// before anything is written, so a bad export changes nothing.
/// </summary>
public static class ReviewImporter
{
    public static (ImportResult Result, StoreUpdate Update) Import(
        string path, ExportSource source, ReviewSchema schema, DecisionStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(store);
        var tool = Resolve(path, source);
        var tasks = Read(path, tool, schema);
        var result = new DecisionBuilder(schema, store, ToolName(tool), Path.GetFileName(Path.TrimEndingDirectorySeparator(path))).Build(tasks, cancellationToken);
        return (result, store.Add(result.Decisions));
    }

    /// <summary>Reads an export's tasks without building or storing decisions.</summary>
    public static IEnumerable<ReviewedTask> Read(string path, ExportSource source, ReviewSchema schema)
    {
        return Resolve(path, source) == ExportSource.Argilla ? ArgillaExportReader.Read(path, schema) : LabelStudioExportReader.Read(path, schema);
    }

    public static ExportSource Resolve(string path, ExportSource source)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new CurationException($"{path}: not found: expected a Label Studio export (JSON, JSON_MIN, CSV, TSV) or an Argilla records.json / dataset folder");
        }

        return source == ExportSource.Auto ? Detect(path) : source;
    }

    public static string ToolName(ExportSource source) => source == ExportSource.Argilla ? "argilla" : "label-studio";

    public static ExportSource Detect(string path)
    {
        if (Directory.Exists(path) || path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            return ExportSource.Argilla;
        }

        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            return ExportSource.LabelStudio;
        }

        var first = ExportFile.StreamArray(path, "a JSON array (a Label Studio or Argilla export)").FirstOrDefault();
        return first.ValueKind == JsonValueKind.Object
            && (first.TryGetProperty("fields", out _) || first.TryGetProperty("_server_id", out _) || first.EnumerateObject().Any(p => p.Name.Contains(".responses", StringComparison.Ordinal)))
            ? ExportSource.Argilla
            : ExportSource.LabelStudio;
    }
}
