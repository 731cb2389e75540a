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
        var update = store.Add(result.Decisions);
        return (result, result.Preferences.Count > 0 ? update with { Preferences = store.AddPreferences(result.Preferences) } : update);
    }

    /// <summary>Reads an export's tasks without building or storing decisions.</summary>
    public static IEnumerable<ReviewedTask> Read(string path, ExportSource source, ReviewSchema schema)
    {
        return Resolve(path, source) == ExportSource.Argilla ? ArgillaExportReader.Read(path, schema) : LabelStudioExportReader.Read(path, schema);
    }

    /// <summary>The tool whose reader reads <paramref name="path"/>: the one named, or for auto the one it looks like.</summary>
    /// <exception cref="CurationException">The path is missing, or looks like the other tool's export: the message says which to name.</exception>
    public static ExportSource Resolve(string path, ExportSource source)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new CurationException($"{path}: not found: expected a Label Studio export (JSON, JSON_MIN, CSV, TSV) or an Argilla records.json / dataset folder");
        }

        var identity = ExportIdentity.Of(path);
        if (source == ExportSource.Auto)
        {
            return identity?.Tool ?? (Directory.Exists(path) || path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? ExportSource.Argilla : ExportSource.LabelStudio);
        }

        if (identity is not null && identity.Tool != source)
        {
            throw new CurationException(
                $"{path}: this is {identity.Looks}, not {(source == ExportSource.Argilla ? "an Argilla" : "a Label Studio")} one; use --tool {ToolName(identity.Tool)}");
        }

        if (source == ExportSource.LabelStudio && Directory.Exists(path))
        {
            throw new CurationException($"{path}: a folder: expected a Label Studio export file (JSON, JSON_MIN, CSV or TSV)");
        }

        return source;
    }

    public static string ToolName(ExportSource source) => source == ExportSource.Argilla ? "argilla" : "label-studio";
}
