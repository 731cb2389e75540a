using Curation.Core.Files;
using Curation.TestKit;

namespace Curation.Core.Tests.Files;

public sealed class RunOutputsTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void NothingAppearsUnderAFinalName_UntilCommit_ThenEverythingAtOnce()
    {
        using var outputs = Outputs("data.jsonl", "clusters.jsonl");
        var data = Write(outputs, "data.jsonl", "new data\n");
        var clusters = Write(outputs, "clusters.jsonl", "clusters\n");
        outputs.Seal(data, "data", records: 1);
        outputs.Seal(clusters, "clusters", records: 1);
        Assert.Equal([".clusters.jsonl.tmp", ".data.jsonl.tmp"], Names());

        var committed = outputs.Commit();

        Assert.Equal(["clusters.jsonl", "data.jsonl"], Names());
        Assert.Equal(["data", "clusters"], committed.Select(file => file.Role));
        Assert.All(committed, file => Assert.True(file.Complete));
        // Other test classes stage files at the same time: only this run's must be forgotten.
        Assert.All(["data.jsonl", "clusters.jsonl"], name => Assert.False(TemporaryFiles.IsTracked(StagedFile.TemporaryPathFor(_temp.File(name)))));
    }

    [Fact]
    public void Commit_ReplacesAnEarlierRunsOutputs_AndDropsKeptPreviousOnes()
    {
        _temp.Write("data.jsonl", "earlier\n");
        _temp.Write(".data.jsonl.previous", "older\n");
        using var outputs = Outputs("data.jsonl");
        outputs.Seal(Write(outputs, "data.jsonl", "new\n"), "data", 1);

        outputs.Commit();

        Assert.Equal(["data.jsonl"], Names());
        Assert.Equal("new\n", File.ReadAllText(_temp.File("data.jsonl")));
    }

    [Fact]
    public void Abandon_KeepsPartialFilesAsIncomplete_AndMovesTheEarlierResultAside()
    {
        _temp.Write("data.jsonl", "earlier\n");
        _temp.Write("manifest.json", "{}");
        using var outputs = Outputs("data.jsonl", "rejects.jsonl", "manifest.json");
        outputs.Seal(Write(outputs, "data.jsonl", "partial\n"), "data", 1);
        Write(outputs, "rejects.jsonl", "never sealed\n");

        var left = outputs.Abandon(keepPartial: true);

        Assert.Equal([".data.jsonl.previous", ".manifest.json.previous", "data.jsonl.incomplete"], Names());
        Assert.Equal("earlier\n", File.ReadAllText(_temp.File(".data.jsonl.previous")));
        var partial = Assert.Single(left);
        Assert.Equal(_temp.File("data.jsonl.incomplete"), partial.Path);
        Assert.False(partial.Complete);
        Assert.Equal(2, outputs.SetAsideFiles.Count);
    }

    [Fact]
    public void Abandon_WithoutKeepingPartialFiles_RemovesThem()
    {
        using var outputs = Outputs("data.jsonl");
        outputs.Seal(Write(outputs, "data.jsonl", "partial\n"), "data", 1);

        Assert.Empty(outputs.Abandon(keepPartial: false));

        Assert.Empty(Names());
    }

    [Fact]
    public void SweepStale_RemovesWhatAKilledOrFailedRunLeft_ButNotItsCompleteOutputs()
    {
        _temp.Write(".data.jsonl.tmp", "killed mid-write");
        _temp.Write("data.jsonl.incomplete", "failed");
        _temp.Write("rejects.jsonl", "complete earlier output");
        _temp.Write("notes.txt", "the user's");
        using var outputs = Outputs("data.jsonl", "rejects.jsonl");

        outputs.SweepStale();

        Assert.Equal(["notes.txt", "rejects.jsonl"], Names());
    }

    [Fact]
    public void AFolderOutput_IsCommittedWhole()
    {
        using var outputs = new RunOutputs([new PlannedOutput(_temp.File("review"), "review", "stage 'r': dir", IsFolder: true)]);
        var folder = outputs.CreateFolder(_temp.File("review"));
        File.WriteAllText(folder.PathOf("tasks.json"), "[]");
        Assert.False(Directory.Exists(_temp.File("review")));

        var files = outputs.Seal(folder, "review", records: 0);
        outputs.Commit();

        Assert.Equal([_temp.File("review/tasks.json")], files.Select(file => file.Path));
        Assert.Equal("[]", File.ReadAllText(_temp.File("review/tasks.json")));
    }

    [Fact]
    public void WritingAnythingNotPlanned_IsAProgrammingError()
    {
        using var outputs = Outputs("data.jsonl");

        Assert.Throws<InvalidOperationException>(() => outputs.CreateFile(_temp.File("elsewhere.jsonl")));
        var data = outputs.CreateFile(_temp.File("data.jsonl"));
        Assert.Throws<InvalidOperationException>(() => outputs.Commit());
        data.Dispose();
    }

    private RunOutputs Outputs(params string[] names) =>
        new([.. names.Select(name => new PlannedOutput(_temp.File(name), name == "manifest.json" ? RunOutputs.ManifestRole : "data", name))]);

    private StagedFile Write(RunOutputs outputs, string name, string text)
    {
        var file = outputs.CreateFile(_temp.File(name));
        file.Stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
        return file;
    }

    private List<string> Names() =>
        [.. Directory.EnumerateFileSystemEntries(_temp.Path).Select(entry => Path.GetFileName(entry)).Order(StringComparer.Ordinal)];
}
