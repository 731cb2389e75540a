using System.CommandLine;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>The options of <c>curate run</c> that split a run into shard tasks.</summary>
internal static class ScaleOutOptions
{
    public const string LocalExecutor = "local";

    public static Option<string> Executor { get; } = CreateExecutor();

    public static Option<int?> Tasks { get; } = new("--tasks")
    {
        Description = "Split the inputs into N shards, each run by a task of its own, then merge the parts: the output is byte-identical to a run without --tasks.",
        Validators = { result => { if (result.GetValueOrDefault<int?>() is < 1) { result.AddError("--tasks must be at least 1"); } } },
    };

    public static Option<string?> WorkDir { get; } = new("--work-dir")
    {
        Description = "Where the plan, the tasks' parts and markers go (default: <output folder>.work). A relaunch runs only the unfinished tasks.",
    };

    private static Option<string> CreateExecutor()
    {
        var option = new Option<string>("--executor")
        {
            Description = "Where shard tasks run: local (worker processes on this machine). Default local; implies --tasks 1 when --tasks is not given.",
            DefaultValueFactory = _ => LocalExecutor,
        };
        option.AcceptOnlyFromAmong(LocalExecutor);
        return option;
    }
}
