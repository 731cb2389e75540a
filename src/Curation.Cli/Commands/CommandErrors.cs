using Curation.Core;

namespace Curation.Cli.Commands;

/// <summary>How a command that reads data ends on a user-fixable error (exit 2, its one-line message) or Ctrl+C (exit 130).</summary>
internal static class CommandErrors
{
    public static async Task<int> ReportAsync(TextWriter error, Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (CurationException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.UsageOrConfig;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("curate: interrupted");
            return ExitCodes.Interrupted;
        }
    }
}
