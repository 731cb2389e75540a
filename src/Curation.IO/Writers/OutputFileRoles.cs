namespace Curation.IO.Writers;

/// <summary>The <see cref="Core.Stages.OutputFileInfo.Role"/> of each output file.</summary>
public static class OutputFileRoles
{
    public const string Data = "data";
    public const string Rejects = "rejects";
}
