using Curation.Core;
using Curation.Core.Files;

namespace Curation.Cli.Commands;

/// <summary>
/// How a command that reads data ends on a user-fixable error (exit 2, its one-line message), a full disk or an
/// unwritable output (exit 1, its one-line message) or Ctrl+C (exit 130).
/// </summary>
internal static class CommandErrors
{
    /// <summary>One line for a file-system fault a user can fix (a full disk, permissions, a read-only folder), or null.</summary>
    public static string? UserFixable(Exception exception) => exception switch
    {
        CurationException curation => curation.Message,
        IOException or UnauthorizedAccessException => FileFaults.Describe(exception, PathIn(exception.Message) ?? "device"),
        _ => null,
    };

    // .NET ends its I/O messages with the path in single quotes.
    private static string? PathIn(string message)
    {
        var end = message.LastIndexOf('\'');
        var start = end > 0 ? message.LastIndexOf('\'', end - 1) : -1;
        return start >= 0 && end > start + 1 ? message[(start + 1)..end] : null;
    }

    public static async Task<int> ReportAsync(TextWriter error, Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (CurationFileException ex)
        {
            // The disk filled up or the output is not writable: the run started and failed, the command line was fine.
            await error.WriteLineAsync($"curate: {ex.Message}");
            return ExitCodes.RunFailed;
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
        catch (Exception ex) when (UserFixable(ex) is { } message)
        {
            await error.WriteLineAsync($"curate: {message}");
            return ExitCodes.RunFailed;
        }
    }
}
