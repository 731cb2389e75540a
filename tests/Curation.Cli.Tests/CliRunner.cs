namespace Curation.Cli.Tests;

/// <summary>Runs <c>curate</c> in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CurateApp.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
