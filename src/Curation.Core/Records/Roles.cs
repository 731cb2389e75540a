namespace Curation.Core.Records;

/// <summary>The four chat roles every record is normalised to.</summary>
public static class Roles
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";

    public static IReadOnlyList<string> All { get; } = [System, User, Assistant, Tool];

    public static bool IsKnown(string role) =>
        role is System or User or Assistant or Tool;
}
