using Curation.Core.Files;

namespace Curation.IO.Inputs;

/// <summary>A path a folder or glob entry reached but does not read, and why (for the run to print).</summary>
/// <param name="Path">The full path, as reached (through links, not resolved).</param>
/// <param name="Reason">A phrase such as "written by an earlier curate run (out/manifest.json, role data)".</param>
public sealed record SkippedFile(string Path, string Reason)
{
    /// <summary>One line for the console: the display path, then the reason.</summary>
    public override string ToString() => $"{DisplayPath.For(Path)}: skipped: {Reason}";
}
