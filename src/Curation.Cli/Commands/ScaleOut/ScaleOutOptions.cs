using System.CommandLine;
using Curation.Pipeline.Slurm;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>The options of <c>curate run</c> that split a run into shard tasks, and where those run.</summary>
internal static class ScaleOutOptions
{
    public const string LocalExecutor = "local";
    public const string SlurmExecutor = "slurm";

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

    public static Option<bool> Wait { get; } = new("--wait")
    {
        Description = "With --executor slurm: follow the jobs, printing progress, and exit with the run's result (Ctrl+C stops waiting, not the jobs). Without it the command returns the job ids at once.",
    };

    public static Option<int?> CpusPerTask { get; } = new(SlurmResources.FlagNames["cpus_per_task"])
    {
        Description = "With --executor slurm: CPUs per task (sbatch --cpus-per-task; default: the executor: section, else the cluster's); also each task's workers unless --workers is given.",
    };

    public static Option<string?> Mem { get; } = new(SlurmResources.FlagNames["mem"])
    {
        Description = "With --executor slurm: memory per task, e.g. 16G, 500M (sbatch --mem).",
    };

    public static Option<string?> Time { get; } = new(SlurmResources.FlagNames["time"])
    {
        Description = "With --executor slurm: time limit per task: minutes, HH:MM:SS or D-HH:MM:SS (sbatch --time).",
    };

    public static Option<string?> Partition { get; } = new(SlurmResources.FlagNames["partition"])
    {
        Description = "With --executor slurm: the partition, or several separated by commas (sbatch --partition).",
    };

    public static Option<string?> Account { get; } = new(SlurmResources.FlagNames["account"])
    {
        Description = "With --executor slurm: the account the tasks are charged to (sbatch --account).",
    };

    public static Option<int?> MaxParallel { get; } = new(SlurmResources.FlagNames["max_parallel"])
    {
        Description = "With --executor slurm: most tasks running at once (the %P of sbatch --array).",
    };

    /// <summary>Every option of this group, in the order <c>curate run --help</c> lists them.</summary>
    public static IReadOnlyList<Option> All { get; } = [Executor, Tasks, WorkDir, Wait, CpusPerTask, Mem, Time, Partition, Account, MaxParallel];

    /// <summary>The Slurm settings given on the command line (null when none), for the executor to lay over the pipeline's.</summary>
    public static SlurmResources? ResourcesFrom(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var resources = new SlurmResources
        {
            CpusPerTask = parseResult.GetValue(CpusPerTask),
            Mem = parseResult.GetValue(Mem),
            Time = parseResult.GetValue(Time),
            Partition = parseResult.GetValue(Partition),
            Account = parseResult.GetValue(Account),
            MaxParallel = parseResult.GetValue(MaxParallel),
        };
        return resources is { CpusPerTask: null, Mem: null, Time: null, Partition: null, Account: null, MaxParallel: null } ? null : resources;
    }

    private static Option<string> CreateExecutor()
    {
        var option = new Option<string>("--executor")
        {
            Description = "Where shard tasks run: local (worker processes on this machine) or slurm (job arrays submitted with sbatch). Default local; implies --tasks 1 when --tasks is not given.",
            DefaultValueFactory = _ => LocalExecutor,
        };
        option.AcceptOnlyFromAmong(LocalExecutor, SlurmExecutor);
        return option;
    }
}
