using Curation.Cli;

namespace Curation.Serving.Tests;

internal static class Curate
{
    /// <summary>The <c>curate</c> program the tests start servers from.</summary>
    public static string Assembly => typeof(CurateApp).Assembly.Location;
}
