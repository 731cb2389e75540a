using Curation.Cli.Commands.ScaleOut;
using Curation.Core;
using Curation.Pipeline.ScaleOut;
using Curation.Pipeline.Slurm;
using Curation.Pipeline.Tests.Slurm;
using Curation.TestKit;

namespace Curation.Cli.Tests.Commands;

/// <summary>What <c>curate run --executor slurm</c> hands sbatch, scancel and squeue, without a cluster.</summary>
public sealed class SlurmExecutorTests
{
    private static readonly ShardPlan Plan = new(ShardPlan.CurrentVersion, "hash", "/project/p.yaml", "/project", null, null, false, 4, [], []);

    private static readonly IReadOnlyList<ShardStep> OneStep = [new ShardStep(0, ShardStepKind.Tasks, [], IsFinal: true)];

    private static readonly SlurmResources Resources = new() { Mem = "2G", MaxParallel = 2 };

    [Fact]
    public async Task Submit_PendingTasksAsOneArray_ThenTheMergeAfterIt_RecordedInJobsJson()
    {
        using var temp = new TempFolder();
        var work = new WorkDirectory(temp.File("work"));
        var runner = new ScriptedCommandRunner().Answer("sbatch", 0, "500\n").Answer("sbatch", 0, "501;cluster\n");
        var (executor, output, _) = Executor(runner, work);

        var exitCode = await executor.RunAsync("my run", Plan, OneStep, Pending([1, 3]), Resources, workers: 3, wait: false, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(2, runner.Calls.Count);
        var (_, tasksArguments, tasksScript) = runner.Calls[0];
        var (_, mergeArguments, mergeScript) = runner.Calls[1];
        var logs = Path.Combine(work.Path, "logs", "%x-%A_%a.log");
        Assert.Equal(["--parsable", "--array=1,3%2", "--job-name=curate-my_run-tasks", "--output=" + logs, "--chdir=/project", "--mem=2G"], tasksArguments);
        Assert.Equal(
            ["--parsable", "--array=0%2", "--job-name=curate-my_run-merge", "--output=" + logs, "--chdir=/project", "--dependency=afterok:500", "--kill-on-invalid-dep=yes", "--mem=2G"],
            mergeArguments);
        var self = string.Join(' ', CurateSelf.Command().Select(word => $"'{word}'"));
        Assert.Equal($"#!/bin/sh\nexec {self} 'shard-task' '{work.Path}' '--step' '0' '--workers' '3' \"$SLURM_ARRAY_TASK_ID\"\n", tasksScript);
        Assert.Equal($"#!/bin/sh\nexec {self} 'shard-merge' '{work.Path}' '--workers' '3'\n", mergeScript);

        var submission = Assert.Single(SlurmJobsRecord.Load(work).Submissions);
        Assert.Equal(("500", "501", "curate-my_run-tasks", "curate-my_run-merge"), (submission.TasksJob, submission.MergeJob, submission.TasksJobName, submission.MergeJobName));
        Assert.Equal([1, 3], submission.Tasks);
        Assert.Contains("tasks: Slurm job 500 (2 of 4 tasks, --array=1,3)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("cancel: scancel 500 501", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_EveryTaskDone_SubmitsTheMergeAlone()
    {
        using var temp = new TempFolder();
        var work = new WorkDirectory(temp.File("work"));
        var runner = new ScriptedCommandRunner().Answer("sbatch", 0, "700\n");
        var (executor, output, _) = Executor(runner, work);

        var exitCode = await executor.RunAsync("r", Plan, OneStep, Pending([]), new SlurmResources(), workers: null, wait: false, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exitCode);
        var (_, arguments, script) = Assert.Single(runner.Calls);
        Assert.DoesNotContain(arguments, argument => argument.StartsWith("--dependency", StringComparison.Ordinal));
        Assert.EndsWith($"'shard-merge' '{work.Path}'\n", script, StringComparison.Ordinal);
        var submission = Assert.Single(SlurmJobsRecord.Load(work).Submissions);
        Assert.Null(submission.TasksJob);
        Assert.Equal(["700"], submission.JobIds);
        Assert.Contains("tasks: all 4 already done", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_MergeRefused_CancelsTheTasksJustSubmitted()
    {
        using var temp = new TempFolder();
        var work = new WorkDirectory(temp.File("work"));
        var runner = new ScriptedCommandRunner()
            .Answer("sbatch", 0, "500\n")
            .Answer("sbatch", 1, string.Empty, "sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified\n")
            .Answer("scancel", 0, string.Empty);
        var (executor, _, _) = Executor(runner, work);

        var error = await Assert.ThrowsAsync<CurationException>(() => executor.RunAsync("r", Plan, OneStep, Pending([0, 1, 2, 3]), Resources, null, wait: false, CancellationToken.None));

        Assert.StartsWith("sbatch refused job array 'curate-r-merge': Batch job submission failed: Invalid account", error.Message, StringComparison.Ordinal);
        Assert.Equal(("scancel", "500"), (runner.Calls[2].Program, Assert.Single(runner.Calls[2].Arguments)));
        Assert.False(File.Exists(work.JobsFile), "a submission without its merge is not recorded");
    }

    [Fact]
    public async Task Relaunch_WhileTheEarlierSubmissionIsQueued_IsRefusedBeforeSubmitting()
    {
        using var temp = new TempFolder();
        var work = WorkWithEarlierSubmission(temp);
        var runner = new ScriptedCommandRunner()
            .Answer("squeue", 0, "500_0|COMPLETED|None\n500_1|RUNNING|None\n")
            .Answer("sacct", 1, string.Empty, "sacct: error: Slurm accounting storage is disabled\n");
        var (executor, _, _) = Executor(runner, work);

        var error = await Assert.ThrowsAsync<CurationException>(() => executor.RunAsync("r", Plan, OneStep, Pending([1]), Resources, null, wait: false, CancellationToken.None));

        Assert.Contains("Slurm job 500 of an earlier submission of this run is still queued or running", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("or cancel it with: scancel 500 501", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(runner.Calls, call => call.Program == "sbatch");
    }

    [Fact]
    public async Task Relaunch_AfterATaskFailed_CancelsTheMergeThatCanNeverStart_AndSubmits()
    {
        using var temp = new TempFolder();
        var work = WorkWithEarlierSubmission(temp);
        var runner = new ScriptedCommandRunner()
            .Answer("squeue", 0, "500_0|COMPLETED|None\n500_1|CANCELLED|None\n")
            .Answer("sacct", 1, string.Empty, "sacct: error: Slurm accounting storage is disabled\n")
            .Answer("squeue", 0, "501_0|PENDING|Dependency\n")
            .Answer("scancel", 0, string.Empty)
            .Answer("sbatch", 0, "600\n")
            .Answer("sbatch", 0, "601\n");
        var (executor, _, _) = Executor(runner, work);

        // Slurm has not yet noticed that the merge can never start (its reason is still Dependency): its task 1 was cancelled.
        var exitCode = await executor.RunAsync("r", Plan, OneStep, Pending([1]), Resources, null, wait: false, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(["squeue", "sacct", "squeue", "scancel", "sbatch", "sbatch"], runner.Calls.Select(call => call.Program));
        Assert.Equal("501", Assert.Single(runner.Calls[3].Arguments));
        Assert.Equal([[0, 1], [1]], SlurmJobsRecord.Load(work).Submissions.Select(submission => submission.Tasks));
    }

    [Fact]
    public async Task Relaunch_MergeMarkedNeverToStart_IsCancelledEvenWhenSlurmForgotItsTasks()
    {
        using var temp = new TempFolder();
        var work = WorkWithEarlierSubmission(temp);
        var runner = new ScriptedCommandRunner()
            .Answer("squeue", 1, string.Empty, "slurm_load_jobs error: Invalid job id specified\n")
            .Answer("sacct", 1, string.Empty, "sacct: error: Slurm accounting storage is disabled\n")
            .Answer("squeue", 0, "501_0|PENDING|DependencyNeverSatisfied\n")
            .Answer("scancel", 0, string.Empty)
            .Answer("sbatch", 0, "600\n")
            .Answer("sbatch", 0, "601\n");
        var (executor, _, _) = Executor(runner, work);

        var exitCode = await executor.RunAsync("r", Plan, OneStep, Pending([1]), Resources, null, wait: false, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(["squeue", "sacct", "squeue", "scancel", "sbatch", "sbatch"], runner.Calls.Select(call => call.Program));
    }

    [Fact]
    public async Task Relaunch_MergeWaitingOnTasksStillRunning_IsRefused()
    {
        using var temp = new TempFolder();
        var work = WorkWithEarlierSubmission(temp);
        var runner = new ScriptedCommandRunner()
            .Answer("squeue", 0, "500_0|COMPLETED|None\n500_1|COMPLETED|None\n")
            .Answer("sacct", 1, string.Empty, "sacct: error: Slurm accounting storage is disabled\n")
            .Answer("squeue", 0, "501_0|PENDING|Dependency\n");
        var (executor, _, _) = Executor(runner, work);

        var error = await Assert.ThrowsAsync<CurationException>(() => executor.RunAsync("r", Plan, OneStep, Pending([]), Resources, null, wait: false, CancellationToken.None));

        Assert.Contains("Slurm job 501 of an earlier submission of this run is still queued or running", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(runner.Calls, call => call.Program is "sbatch" or "scancel");
    }

    [Fact]
    public async Task Wait_ATaskFails_ReportsEachFailedTaskWithItsLog_AndExitsOne()
    {
        using var temp = new TempFolder();
        var work = new WorkDirectory(temp.File("work"));
        work.Create();
        File.WriteAllText(work.FailedMarker(3), "inputs/b.jsonl: permission denied\n");
        var runner = new ScriptedCommandRunner()
            .Answer("sbatch", 0, "500\n")
            .Answer("sbatch", 0, "501\n")
            .Answer("squeue", 0, "500_1|RUNNING|None\n500_3|PENDING|Priority\n")
            .Answer("sacct", 1, string.Empty, "sacct: error: Slurm accounting storage is disabled\n")
            .Answer("squeue", 0, "500_1|TIMEOUT|TimeLimit\n500_3|FAILED|NonZeroExitCode\n")
            .Answer("scancel", 1, string.Empty, "scancel: error: Kill job error on job id 501: Job/step already completing or completed\n");
        var (executor, _, errors) = Executor(runner, work);

        var exitCode = await executor.RunAsync("r", Plan, OneStep, Pending([1, 3]), Resources, null, wait: true, CancellationToken.None);

        Assert.Equal(ExitCodes.RunFailed, exitCode);
        var logs = Path.Combine(work.Path, "logs");
        Assert.Equal(
            [
                "curate: tasks (job 500): 1 pending, 1 running, 0 done, 0 failed",
                "curate: tasks (job 500): 0 pending, 0 running, 0 done, 2 failed",
                $"curate: task 1 failed: Slurm 500_1 ended TIMEOUT (log: {logs}/curate-r-tasks-500_1.log)",
                $"curate: task 3 failed: inputs/b.jsonl: permission denied (Slurm 500_3 FAILED; log: {logs}/curate-r-tasks-500_3.log)",
                "curate: run failed: 2 of 4 tasks failed, so the merge (job 501) is cancelled; run the same command again to rerun only those",
            ],
            errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(("scancel", "501"), (runner.Calls[^1].Program, Assert.Single(runner.Calls[^1].Arguments)));
    }

    [Fact]
    public async Task Wait_TheMergeEnds_PrintsItsLogAndExitsWithItsStatus()
    {
        using var temp = new TempFolder();
        var work = new WorkDirectory(temp.File("work"));
        work.Create();
        var runner = new ScriptedCommandRunner()
            .Answer("sbatch", 0, "500\n")
            .Answer("sbatch", 0, "501\n")
            .Answer("squeue", 0, "500_0|COMPLETED|None\n")
            .Answer("sacct", 1, string.Empty, "sacct: error: Slurm accounting storage is disabled\n")
            .Answer("squeue", 0, "501_0|FAILED|NonZeroExitCode\n");
        // What the merge job leaves by the time Slurm reports it ended: its output in its log, its exit status beside the markers.
        var merged = new AfterCall(runner, "--jobs=501", () =>
        {
            File.WriteAllText(Path.Combine(work.LogsFolder, "curate-r-merge-501_0.log"), "suspect: kept nothing\n");
            File.WriteAllText(work.MergeExitFile, "3\n");
        });
        var (executor, output, _) = Executor(merged, work);

        var exitCode = await executor.RunAsync("r", Plan, OneStep, Pending([0]), Resources, null, wait: true, CancellationToken.None);

        Assert.Equal(ExitCodes.SuspectResult, exitCode);
        Assert.EndsWith("suspect: kept nothing\n", output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A work folder whose earlier submission was tasks 0 and 1 as job 500 and their merge as job 501.</summary>
    private static IReadOnlyList<PendingStep> Pending(IReadOnlyList<int> tasks) => tasks.Count == 0 ? [] : [new PendingStep(OneStep[0], tasks)];

    private static WorkDirectory WorkWithEarlierSubmission(TempFolder temp)
    {
        var work = new WorkDirectory(temp.File("work"));
        work.Create();
        new SlurmJobsRecord([new SlurmSubmission("500", "curate-r-tasks", [0, 1], "501", "curate-r-merge")]).Save(work);
        return work;
    }

    private static (SlurmExecutor Executor, StringWriter Output, StringWriter Error) Executor(ICommandRunner runner, WorkDirectory work)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        return (new SlurmExecutor(new SlurmClient(runner, TimeProvider.System), work, output, error, TimeSpan.Zero), output, error);
    }

    /// <summary>Runs <paramref name="action"/> before the first call that has <paramref name="argument"/>, then answers as <paramref name="inner"/> does.</summary>
    private sealed class AfterCall(ICommandRunner inner, string argument, Action action) : ICommandRunner
    {
        private bool _done;

        public Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken)
        {
            if (!_done && arguments.Contains(argument))
            {
                _done = true;
                action();
            }

            return inner.RunAsync(program, arguments, standardInput, cancellationToken);
        }
    }
}
