namespace Curation.IO.Shards;

/// <summary>
/// The size and modification time of an input file as a reader sees it: through any symbolic links to the file they
/// point at. A link's own size (the length of the path it holds) would plan a few bytes of a large file.
/// </summary>
internal static class InputFileFacts
{
    public static FileInfo Of(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
    }
}
