namespace Curation.TestKit;

/// <summary>Finds the repository root and the shared fixtures beside it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared third-party fixtures folder, or null when this checkout has none beside it.</summary>
    public static string? SharedFixtures
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", "labeling"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>A folder under <c>../shared/fixtures</c> (beside the repository root), or null where this checkout has none.</summary>
    public static string? SharedFixtureFolder(string relativePath)
    {
        var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", relativePath));
        return Directory.Exists(path) ? path : null;
    }

    /// <summary>A file under the shared fixtures folder, or null where it is absent (tests then return early, saying so).</summary>
    public static string? SharedFixture(string relativePath)
    {
        var path = SharedFixtures is { } folder ? Path.Combine(folder, relativePath) : null;
        return path is not null && File.Exists(path) ? path : null;
    }

    /// <summary>
    /// The shared folder of real tokenizer files (one folder per model family, each with tokenizer.json and
    /// tokenizer_config.json), or null when this checkout has none beside it.
    /// </summary>
    public static string? SharedTokenizers
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", "tokenizers"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>A model family's folder under <see cref="SharedTokenizers"/> (such as <c>qwen3</c>), or null where it is absent.</summary>
    public static string? SharedTokenizer(string family)
    {
        var path = SharedTokenizers is { } folder ? Path.Combine(folder, family) : null;
        return path is not null && File.Exists(Path.Combine(path, "tokenizer_config.json")) ? path : null;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Curation.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Curation.sln not found above " + AppContext.BaseDirectory);
    }
}
