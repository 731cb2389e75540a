using Curation.Core;
using Curation.Review.Decisions;
using Curation.Review.Queue;
using Curation.TestKit;

namespace Curation.Review.Tests;

/// <summary>An export folder written by <c>curate review export</c> holds one whole export: never a part, never a mix.</summary>
public sealed class ExportFolderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ExportingAgainIntoTheSameFolder_ReplacesItWhole_LeavingNothingBehind()
    {
        var store = DecisionStore.Open(_folder.File("store"));
        ReviewExporter.WriteFolder(ReviewScenario.Queue(ReviewTool.Argilla), ReviewTool.Argilla, _folder.File("queue"), store, "queue");

        var files = ReviewExporter.WriteFolder(ReviewScenario.Queue(ReviewTool.LabelStudio), ReviewTool.LabelStudio, _folder.File("queue"), store, "queue");

        Assert.Equal([_folder.File("queue/tasks.json"), _folder.File("queue/labeling-config.xml")], files);
        Assert.Equal(["labeling-config.xml", "tasks.json"], Directory.GetFileSystemEntries(_folder.File("queue")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["queue", "store"], Directory.GetFileSystemEntries(_folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2, DecisionStore.Open(_folder.File("store")).Batches.Count);
    }

    [Fact]
    public void AFolderHoldingOtherFiles_IsNotReplaced_NothingIsWrittenOrRecorded()
    {
        _folder.Write("queue/notes.md", "my notes");
        _folder.Write("queue/tasks.json", "[]");

        var error = Assert.Throws<CurationException>(() =>
            ReviewExporter.WriteFolder(ReviewScenario.Queue(ReviewTool.LabelStudio), ReviewTool.LabelStudio, _folder.File("queue"), DecisionStore.Open(_folder.File("store")), "queue"));

        Assert.Equal($"{_folder.File("queue")}: holds notes.md, which no review export writes, and an export replaces its folder whole: export to a new or empty folder", error.Message);
        Assert.Equal("[]", File.ReadAllText(_folder.File("queue/tasks.json")));
        Assert.True(File.Exists(_folder.File("queue/notes.md")));
        Assert.False(Directory.Exists(_folder.File("store")));
    }

    [Fact]
    public void TheStoreInsideTheExportFolder_IsAnError()
    {
        var store = DecisionStore.Open(_folder.File("review"));

        var error = Assert.Throws<CurationException>(() =>
            ReviewExporter.WriteFolder(ReviewScenario.Queue(ReviewTool.LabelStudio), ReviewTool.LabelStudio, _folder.File("review"), store, "review"));

        Assert.Equal($"{_folder.File("review")}: the review store {_folder.File("review")} is in this folder, and an export replaces its folder whole: export to another folder", error.Message);
        Assert.False(Directory.Exists(_folder.File("review")));
    }
}
