namespace Curation.Cli;

/// <summary>What <c>curate</c> returns to the shell (docs/exit-codes.md lists them with the guarantees behind them).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The run started and failed: unreadable input, a full disk, counts that did not balance. Nothing was promoted.</summary>
    public const int RunFailed = 1;

    /// <summary>Bad command line, pipeline file or options; nothing was read or written.</summary>
    public const int UsageOrConfig = 2;

    /// <summary>
    /// The run finished but its result is not trusted: it kept no record, or an input file had more of its records
    /// rejected than <c>max_reject_fraction</c> allows (a wrong delimiter, encoding or column type). Nothing was promoted.
    /// </summary>
    public const int SuspectResult = 3;

    /// <summary>Training stopped on a non-finite loss or gradient; the last good checkpoint is kept.</summary>
    public const int TrainingDiverged = 4;

    /// <summary><c>curate eval run</c> finished and a quality gate failed; the report names it.</summary>
    public const int GateFailed = 5;

    /// <summary>Stopped by Ctrl+C or SIGTERM; outputs are marked incomplete. 128 + SIGINT, as shells expect.</summary>
    public const int Interrupted = 130;
}
