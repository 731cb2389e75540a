using Curation.Review.Argilla;
using Curation.Review.Decisions;
using Curation.Review.LabelStudio;
using Curation.Review.Queue;

namespace Curation.Review;

/// <summary>Writes a review queue for a tool and records the batch in the store, so its import can be checked.</summary>
public static class ReviewExporter
{
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
}
