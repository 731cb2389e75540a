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
}
