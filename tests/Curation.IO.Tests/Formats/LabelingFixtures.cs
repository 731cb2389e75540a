namespace Curation.IO.Tests.Formats;

/// <summary>
/// Finds the shared third-party fixtures (../shared/fixtures/labeling beside the repository). They are never
/// copied into the repository, so tests that use them return early, saying so, where they are absent.
/// </summary>
internal static class LabelingFixtures
{
    public static string? Find(string relativePath)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Curation.sln")))
        {
            directory = directory.Parent;
        }

        if (directory?.Parent is null)
        {
            return null;
        }

        var path = Path.Combine(directory.Parent.FullName, "shared", "fixtures", "labeling", relativePath);
        return File.Exists(path) ? path : null;
    }
}
