using Curation.Core;
using Curation.Core.Config;
using Curation.IO.Inputs;

namespace Curation.IO.Tests.Inputs;

public sealed class InputResolverTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Resolve_RelativeFile_ResolvesAgainstBaseDirectory()
    {
        var path = _dir.Write("data/train.jsonl", "{}\n");

        var files = InputResolver.Resolve(new InputOptions { Path = "data/train.jsonl" }, _dir.Path);

        Assert.Equal([path], files);
    }

    [Fact]
    public void Resolve_Folder_ReturnsVisibleSupportedFilesBeneathItSortedOrdinally()
    {
        _dir.Write("in/b.jsonl", "{}");
        _dir.Write("in/B.csv", "a\n1");
        _dir.Write("in/a/z.json", "{}");
        _dir.Write("in/a/y.jsonl.zst", "x");
        _dir.Write("in/c/deep/d.parquet", "x");
        _dir.Write("in/c/deep/e.tsv.gz", "x");
        _dir.Write("in/c/f.ndjson.zstd", "x");
        _dir.Write("in/notes.txt", "not an input");
        _dir.Write("in/x.parquet.gz", "compressed parquet is not supported");
        _dir.Write("in/.cache/hidden.jsonl", "hidden folders are skipped");
        _dir.Write("in/.hidden.jsonl", "hidden files are skipped");

        var files = InputResolver.Resolve(new InputOptions { Path = "in" }, _dir.Path);

        string[] expected = ["B.csv", "a/y.jsonl.zst", "a/z.json", "b.jsonl", "c/deep/d.parquet", "c/deep/e.tsv.gz", "c/f.ndjson.zstd"];
        Assert.Equal(expected.Select(f => Path.Combine(_dir.Path, "in", f)), files);
    }

    [Fact]
    public void Resolve_RecursiveGlob_MatchesOnlyThePatternInOrder()
    {
        _dir.Write("data/2024/b.jsonl.gz", "x");
        _dir.Write("data/2024/a.jsonl.gz", "x");
        _dir.Write("data/2023/z/c.jsonl.gz", "x");
        _dir.Write("data/top.jsonl.gz", "x");
        _dir.Write("data/2024/a.jsonl", "x");
        _dir.Write("other/d.jsonl.gz", "x");

        var files = InputResolver.Resolve(new InputOptions { Path = "data/**/*.jsonl.gz" }, _dir.Path);

        string[] expected = ["2023/z/c.jsonl.gz", "2024/a.jsonl.gz", "2024/b.jsonl.gz", "top.jsonl.gz"];
        Assert.Equal(expected.Select(f => Path.Combine(_dir.Path, "data", f)), files);
    }

    [Fact]
    public void Resolve_Glob_SkipsDotFilesAndDotFolders_AsFolderInputsDo()
    {
        _dir.Write("in/a.jsonl", "x");
        _dir.Write("in/.hidden.jsonl", "x");
        _dir.Write("in/.cache/b.jsonl", "x");

        var files = InputResolver.Resolve(new InputOptions { Path = "in/**/*.jsonl" }, _dir.Path);

        Assert.Equal([Path.Combine(_dir.Path, "in", "a.jsonl")], files);
    }

    [Fact]
    public void Resolve_AbsoluteGlob_IgnoresBaseDirectory()
    {
        var path = _dir.Write("abs/one.json", "{}");
        _dir.Write("abs/one.txt", "x");

        var files = InputResolver.Resolve(new InputOptions { Path = _dir.Path + "/abs/*" }, "/nonexistent-base");

        Assert.Equal([path], files);
    }

    [Fact]
    public void Resolve_GlobMatchingNothingSupported_ThrowsListingSupportedTypes()
    {
        _dir.Write("data/a.txt", "x");

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "data/*" }, _dir.Path));

        Assert.StartsWith("data/*: no input files match (supported: .jsonl .ndjson .json .csv .tsv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_GlobUnderMissingFolder_ThrowsNoInputFilesMatch()
    {
        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "missing/**/*.jsonl" }, _dir.Path));

        Assert.Contains("missing/**/*.jsonl: no input files match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EmptyFolder_ThrowsNoInputFilesMatch()
    {
        Directory.CreateDirectory(_dir.File("empty"));

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "empty" }, _dir.Path));

        Assert.StartsWith("empty: no input files match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingFile_ThrowsOneLineNotFound()
    {
        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "nope/train.jsonl" }, _dir.Path));

        Assert.StartsWith("nope/train.jsonl: input not found: no such file or folder", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Resolve_ExplicitUnsupportedFile_ThrowsUnsupportedType()
    {
        _dir.Write("notes.txt", "x");

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "notes.txt" }, _dir.Path));

        Assert.StartsWith("notes.txt: unsupported input file type (supported:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EmptyPath_Throws()
    {
        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = " " }, _dir.Path));

        Assert.Contains("'path'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveAll_KeepsEntryOrder()
    {
        var b = _dir.Write("b.jsonl", "{}");
        var a = _dir.Write("a.jsonl", "{}");

        var resolved = InputResolver.ResolveAll([new InputOptions { Path = "b.jsonl" }, new InputOptions { Path = "a.jsonl" }], _dir.Path);

        Assert.Equal([b, a], resolved.SelectMany(r => r.Files));
        Assert.Equal("b.jsonl", resolved[0].Options.Path);
    }

    [Fact]
    public void ResolveAll_FileMatchedByTwoEntries_Throws()
    {
        _dir.Write("d/a.jsonl", "{}");

        var error = Assert.Throws<CurationException>(() =>
            InputResolver.ResolveAll([new InputOptions { Path = "d" }, new InputOptions { Path = "d/*.jsonl" }], _dir.Path));

        Assert.Contains("matched by inputs 1 and 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FolderWithALinkToASubfolder_ReadsEachFileOnce_AndReportsTheSecondPath()
    {
        var real = _dir.Write("in/a/x.jsonl", "{}");
        Directory.CreateSymbolicLink(_dir.File("in/link"), _dir.File("in/a"));

        var resolved = InputResolver.ResolveEntry(new InputOptions { Path = "in" }, _dir.Path);

        Assert.Equal([real], resolved.Files);
        var skipped = Assert.Single(resolved.Skipped);
        Assert.Equal(_dir.File("in/link/x.jsonl"), skipped.Path);
        Assert.Contains("the same file as", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FolderWithALinkLoop_ReadsTheFileOnce()
    {
        var file = _dir.Write("in/x.jsonl", "{}");
        Directory.CreateSymbolicLink(_dir.File("in/loop"), "..");
        Directory.CreateSymbolicLink(_dir.File("in/self"), ".");

        var resolved = InputResolver.ResolveEntry(new InputOptions { Path = "in" }, _dir.Path);

        Assert.Equal([file], resolved.Files);
        Assert.Contains(resolved.Skipped, s => s.Path == _dir.File("in/self") && s.Reason.Contains("(a loop)", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_RecursiveGlobThroughALinkLoop_MatchesTheFileOnce()
    {
        var file = _dir.Write("in/sub/x.jsonl", "{}");
        Directory.CreateSymbolicLink(_dir.File("in/sub/back"), _dir.File("in"));

        var files = InputResolver.Resolve(new InputOptions { Path = "in/**/*.jsonl" }, _dir.Path);

        Assert.Equal([file], files);
    }

    [Fact]
    public void Resolve_FolderReachedThroughALink_KeepsTheLinkedPathsAndOrder()
    {
        _dir.Write("real/b.jsonl", "{}");
        _dir.Write("real/a.jsonl", "{}");
        Directory.CreateSymbolicLink(_dir.File("alias"), _dir.File("real"));

        var files = InputResolver.Resolve(new InputOptions { Path = "alias" }, _dir.Path);

        Assert.Equal([_dir.File("alias/a.jsonl"), _dir.File("alias/b.jsonl")], files);
    }

    [Fact]
    public void Resolve_FolderWithADanglingLink_ThrowsOneLineNotFound()
    {
        _dir.Write("in/a.jsonl", "{}");
        File.CreateSymbolicLink(_dir.File("in/gone.jsonl"), _dir.File("nowhere.jsonl"));

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "in" }, _dir.Path));

        Assert.Contains("gone.jsonl: input not found: a symbolic link to", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ResolveAll_SameFileThroughALinkedFolderInTwoEntries_Throws()
    {
        _dir.Write("data/a.jsonl", "{}");
        Directory.CreateSymbolicLink(_dir.File("alias"), _dir.File("data"));

        var error = Assert.Throws<CurationException>(() =>
            InputResolver.ResolveAll([new InputOptions { Path = "data" }, new InputOptions { Path = "alias/a.jsonl" }], _dir.Path));

        Assert.Contains("matched by inputs 1 and 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("the same file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveAll_LinkedFileAndItsTarget_Throws()
    {
        _dir.Write("a.jsonl", "{}");
        File.CreateSymbolicLink(_dir.File("b.jsonl"), "a.jsonl");

        var error = Assert.Throws<CurationException>(() =>
            InputResolver.ResolveAll([new InputOptions { Path = "a.jsonl" }, new InputOptions { Path = "b.jsonl" }], _dir.Path));

        Assert.Contains("matched by inputs 1 and 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_LinkToAFileOutsideTheFolder_IsReadUnderTheLinkName()
    {
        _dir.Write("elsewhere/e.jsonl", "{}");
        _dir.Write("in/a.jsonl", "{}");
        File.CreateSymbolicLink(_dir.File("in/e.jsonl"), "../elsewhere/e.jsonl");

        var files = InputResolver.Resolve(new InputOptions { Path = "in" }, _dir.Path);

        Assert.Equal([_dir.File("in/a.jsonl"), _dir.File("in/e.jsonl")], files);
    }

    [Fact]
    public void Resolve_ExplicitDanglingLink_ThrowsOneLineNotFound()
    {
        File.CreateSymbolicLink(_dir.File("gone.jsonl"), _dir.File("nowhere.jsonl"));

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "gone.jsonl" }, _dir.Path));

        Assert.StartsWith("gone.jsonl: input not found: a symbolic link to", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FileLinkLoop_ThrowsOneLineError()
    {
        File.CreateSymbolicLink(_dir.File("a.jsonl"), "b.jsonl");
        File.CreateSymbolicLink(_dir.File("b.jsonl"), "a.jsonl");

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "a.jsonl" }, _dir.Path));

        Assert.Contains("too many levels of symbolic links", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FolderHoldingAnEarlierRunsOutput_SkipsTheManifestAndEveryFileItLists()
    {
        var input = _dir.Write("in/train.jsonl", "{}");
        WriteRun("in/out", "data.jsonl", "rejects.jsonl", "clusters.jsonl");

        var resolved = InputResolver.ResolveEntry(new InputOptions { Path = "in" }, _dir.Path);

        Assert.Equal([input], resolved.Files);
        Assert.Equal(
            ["in/out/clusters.jsonl", "in/out/data.jsonl", "in/out/manifest.json", "in/out/rejects.jsonl"],
            resolved.Skipped.Select(s => Path.GetRelativePath(_dir.Path, s.Path)));
        Assert.Contains("role data", resolved.Skipped[1].Reason, StringComparison.Ordinal);
        Assert.Equal("curate's manifest of an earlier run", resolved.Skipped[2].Reason);
    }

    [Fact]
    public void Resolve_GlobNotMatchingTheManifest_StillSkipsTheFilesItLists()
    {
        var input = _dir.Write("in/a.jsonl", "{}");
        WriteRun("in/out", "data.jsonl", "rejects.jsonl");

        var files = InputResolver.Resolve(new InputOptions { Path = "in/**/*.jsonl" }, _dir.Path);

        Assert.Equal([input], files);
    }

    [Fact]
    public void Resolve_OutputFolderMovedSinceTheRun_StillSkipsItsFiles()
    {
        var input = _dir.Write("in/a.jsonl", "{}");
        WriteRun("in/moved", ["data.jsonl", "sub/rejects.jsonl"], outputFolderAtRunTime: "/gone/out");

        var resolved = InputResolver.ResolveEntry(new InputOptions { Path = "in" }, _dir.Path);

        Assert.Equal([input], resolved.Files);
        Assert.Equal(3, resolved.Skipped.Count);
    }

    [Fact]
    public void Resolve_ManifestListingRelativePaths_ResolvesThemBesideTheManifest()
    {
        var input = _dir.Write("in/a.jsonl", "{}");
        _dir.Write("in/out/data.jsonl", "{}");
        _dir.Write("in/out/manifest.json", """{"tool": {"name": "curate", "version": "0.1.0"}, "outputs": [{"path": "data.jsonl", "role": "data"}]}""");

        var files = InputResolver.Resolve(new InputOptions { Path = "in" }, _dir.Path);

        Assert.Equal([input], files);
    }

    [Fact]
    public void Resolve_ManifestJsonThatIsNotCurates_IsReadAsData()
    {
        var manifest = _dir.Write("in/manifest.json", """{"tool": {"name": "other"}, "messages": []}""");
        var data = _dir.Write("in/data.jsonl", "{}");

        var files = InputResolver.Resolve(new InputOptions { Path = "in" }, _dir.Path);

        Assert.Equal([data, manifest], files);
    }

    [Fact]
    public void Resolve_FolderThatIsOnlyAnEarlierRunsOutput_ThrowsNamingTheDataFile()
    {
        WriteRun("out", "data.jsonl", "rejects.jsonl");

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "out" }, _dir.Path));

        Assert.StartsWith("out: no input files match: the 3 files found are an earlier curate run's outputs and manifest", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("to read that run's data, name the file: " + DisplayPathOf("out/data.jsonl"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_EarlierRunsDataNamedExplicitly_IsRead()
    {
        WriteRun("out", "data.jsonl", "rejects.jsonl");

        var files = InputResolver.Resolve(new InputOptions { Path = "out/data.jsonl" }, _dir.Path);

        Assert.Equal([_dir.File("out/data.jsonl")], files);
    }

    [Fact]
    public void Resolve_CuratesManifestNamedExplicitly_ThrowsOneLine()
    {
        WriteRun("out", "data.jsonl", "rejects.jsonl");

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "out/manifest.json" }, _dir.Path));

        Assert.Equal("out/manifest.json: this is curate's manifest of an earlier run, not data", error.Message);
    }

    [Fact]
    public void Resolve_CuratesRejectsNamedExplicitly_ThrowsOneLine()
    {
        WriteRun("out", "data.jsonl", "rejects.jsonl");

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "out/rejects.jsonl" }, _dir.Path));

        Assert.StartsWith("out/rejects.jsonl: this is curate's rejects file of an earlier run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_CopiedRejectsFileNamedExplicitly_IsRecognisedByItsLines()
    {
        _dir.Write("copy.jsonl", """{"stage":"read","rule":"schema","detail":"field 'messages': missing","source":{"file":"a.jsonl","line":1},"raw":"{}"}""" + "\n");

        var error = Assert.Throws<CurationException>(() => InputResolver.Resolve(new InputOptions { Path = "copy.jsonl" }, _dir.Path));

        Assert.Equal("copy.jsonl: this is curate's rejects file of an earlier run, not data", error.Message);
    }

    [Fact]
    public async Task Resolve_NamedPipe_IsNotOpened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fifo = _dir.File("stream.jsonl");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        // Opening a pipe with no writer blocks, and reading one takes bytes the run needs: resolving must do neither.
        var resolve = Task.Run(() => InputResolver.Resolve(new InputOptions { Path = "stream.jsonl" }, _dir.Path));

        Assert.Same(resolve, await Task.WhenAny(resolve, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal([fifo], await resolve);
    }

    /// <summary>An output folder as a run leaves it: the files, and a manifest listing them by absolute path.</summary>
    private void WriteRun(string folder, params string[] files) => WriteRun(folder, files, outputFolderAtRunTime: null);

    private void WriteRun(string folder, string[] files, string? outputFolderAtRunTime)
    {
        var listedFolder = outputFolderAtRunTime ?? _dir.File(folder);
        var outputs = new List<string>();
        foreach (var file in files)
        {
            var role = file.EndsWith("data.jsonl", StringComparison.Ordinal) ? "data"
                : file.EndsWith("rejects.jsonl", StringComparison.Ordinal) ? "rejects" : "clusters";
            var line = role == "rejects"
                ? """{"stage":"validate","rule":"empty-turn","detail":"x","source":{"file":"a.jsonl","line":1}}"""
                : """{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}""";
            _dir.Write(Path.Combine(folder, file), line + "\n");
            outputs.Add($$"""{"path": "{{Path.Combine(listedFolder, file)}}", "role": "{{role}}", "records": 1}""");
        }

        _dir.Write(
            Path.Combine(folder, "manifest.json"),
            $$"""{"tool": {"name": "curate", "version": "0.1.0"}, "status": "completed", "outputs": [{{string.Join(", ", outputs)}}]}""");
    }

    private string DisplayPathOf(string relative) => Curation.Core.Files.DisplayPath.For(_dir.File(relative));
}
