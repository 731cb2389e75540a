namespace Curation.Cli.Commands.ScaleOut;

/// <summary>The command line that runs this same curate again: for worker processes here and for cluster batch scripts.</summary>
internal static class CurateSelf
{
    /// <summary>
    /// The program and the arguments before curate's own: the curate executable alone, or the dotnet host and
    /// curate.dll when curate was started as <c>dotnet curate.dll</c> or is hosted by another program (tests).
    /// </summary>
    public static IReadOnlyList<string> Command()
    {
        var self = Environment.ProcessPath;
        if (self is not null && string.Equals(Path.GetFileNameWithoutExtension(self), "curate", StringComparison.Ordinal))
        {
            return [self];
        }

        var host = self is not null && string.Equals(Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.Ordinal) ? self : "dotnet";
        return [host, typeof(CurateApp).Assembly.Location];
    }
}
