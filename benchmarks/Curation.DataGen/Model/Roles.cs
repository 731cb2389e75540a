namespace Curation.DataGen.Model;

internal static class Roles
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
}
