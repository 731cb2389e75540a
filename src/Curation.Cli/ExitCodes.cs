namespace Curation.Cli;

/// <summary>What <c>curate</c> returns to the shell.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The run started and failed: unreadable input, a full disk, counts that did not balance.</summary>
    public const int RunFailed = 1;

    /// <summary>Bad command line or pipeline file; nothing was read.</summary>
    public const int UsageOrConfig = 2;

    /// <summary>Stopped by Ctrl+C or SIGTERM; outputs are marked incomplete. 128 + SIGINT, as shells expect.</summary>
    public const int Interrupted = 130;
}
