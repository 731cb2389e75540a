using Curation.Core;
using Curation.Core.Files;
using Curation.Review.Argilla;
using Curation.Review.Decisions;
using Curation.Review.LabelStudio;
using Curation.Review.Queue;

namespace Curation.Review;

/// <summary>Writes a review queue for a tool and records the batch in the store, so its import can be checked.</summary>
public static class ReviewExporter
{
    // Everything either tool's export writes at the top of its folder.
    private static readonly HashSet<string> ExportEntries = new(
        [LabelStudioTaskWriter.TasksFile, LabelStudioTaskWriter.ConfigFile, ArgillaExportReader.RecordsFile, ArgillaDatasetWriter.SettingsFolder],
        StringComparer.Ordinal);

    /// <summary>Writes the export's files into <paramref name="folder"/> as they come (the caller decides when they count).</summary>
    public static IReadOnlyList<string> Write(ReviewQueue queue, ReviewTool tool, string folder, DecisionStore store, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(store);
        var files = WriteFiles(queue, tool, folder, datasetName);
        store.AddBatch(queue.Batch);
        return files;
    }

    /// <summary>Writes the tool's files into <paramref name="folder"/> without recording the batch (the caller records it once the files are in place).</summary>
    public static IReadOnlyList<string> WriteFiles(ReviewQueue queue, ReviewTool tool, string folder, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return tool == ReviewTool.Argilla
            ? ArgillaDatasetWriter.Write(queue, folder, datasetName)
            : LabelStudioTaskWriter.Write(queue, folder);
    }

    /// <summary>
    /// Writes the export as a whole folder: under a temporary name, recorded in the store, then renamed into place,
    /// so that <paramref name="folder"/> holds either the whole new export or what it held before, never a part or a
    /// mix with an earlier export's files. Returns the files at their final paths.
    /// </summary>
    /// <exception cref="CurationException">
    /// The folder holds something no export writes, or the store itself: it is not replaced, and nothing is written.
    /// </exception>
    public static IReadOnlyList<string> WriteFolder(ReviewQueue queue, ReviewTool tool, string folder, DecisionStore store, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(store);
        var final = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var shown = DisplayPath.For(final);
        if (IsWithin(store.Folder, final))
        {
            throw new CurationException($"{shown}: the review store {store.DisplayFolder} is in this folder, and an export replaces its folder whole: export to another folder");
        }

        if (File.Exists(final))
        {
            throw new CurationException($"{shown}: a file: expected a folder to write the export to");
        }

        if (Directory.Exists(final)
            && Directory.EnumerateFileSystemEntries(final).Select(Path.GetFileName).OfType<string>().Where(name => !ExportEntries.Contains(name)).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } others)
        {
            throw new CurationException(
                $"{shown}: holds {string.Join(", ", others.Take(3))}{(others.Count > 3 ? ", …" : string.Empty)}, which no review export writes, and an export replaces its folder whole: export to a new or empty folder");
        }

        using var staged = StagedFolder.Create(final);
        var files = Write(queue, tool, staged.TemporaryPath, store, datasetName);
        staged.Commit();
        return [.. files.Select(file => staged.FinalPathOf(Path.GetRelativePath(staged.TemporaryPath, file)))];
    }

    private static bool IsWithin(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!Path.IsPathRooted(relative) && relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }
}
