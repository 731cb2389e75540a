using System.CommandLine;

namespace Curation.Cli.Commands.Eval;

/// <summary><c>curate eval run|runs|diff</c>: the golden-set harness, its run log and comparisons of runs.</summary>
internal static class EvalCommand
{
    public static Command Create() => new("eval", "Evaluate arms (local models, adapters, OpenAI-compatible APIs) on a golden set: metrics with intervals, cost, latency, a report and quality gates.")
    {
        EvalRunCommand.Create(),
        EvalRunsCommand.Create(),
        EvalDiffCommand.Create(),
    };

    /// <summary>Where the run log is: <c>--store</c>, or the store an eval file names.</summary>
    public static Option<string?> Store() => new("--store") { Description = "The eval store (SQLite) to read; default: the one evals/X.yaml names (--eval)." };

    public static Option<string?> EvalFile() => new("--eval") { Description = "An eval file whose store to read (its 'store', or eval.db in its output folder)." };
}
