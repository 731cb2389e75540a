using System.Diagnostics;
using System.Text.RegularExpressions;
using Curation.Cli.Commands.ScaleOut;
using Curation.Pipeline.ScaleOut;
using Curation.Pipeline.Slurm;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>
/// <c>curate run --executor slurm</c> on the one-node cluster of tests/slurm/start-cluster.sh (Skipped, saying why,
/// where there is none): the merged output is the single-process output byte for byte; a task cancelled while it
/// runs fails the run and a relaunch submits it alone; without --wait the command returns the job ids at once.
/// </summary>
public sealed partial class SlurmTasksTests
{
    private readonly SlurmClient _client = new(ProcessCommandRunner.Instance, TimeProvider.System);

    [SkippableFact]
    public async Task FourSlurmTasks_WithWait_GiveTheSingleProcessBytes()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var temp = new TempFolder();
        var (pipeline, plain) = await PlainRunAsync(temp);
        var work = temp.File("work");

        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("slurm"), "--executor", "slurm", "--tasks", "4", "--work-dir", work, "--wait", "--mem", "1G", "--time", "10"]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        LocalTasksTests.AssertSameBytes(plain, temp.File("slurm"), "data.jsonl");
        LocalTasksTests.AssertSameBytes(plain, temp.File("slurm"), "rejects.jsonl");
        Assert.Contains("ok: read 2598", run.Output, StringComparison.Ordinal);
        Assert.Contains("0 pending, 0 running, 4 done, 0 failed", run.Error, StringComparison.Ordinal);
        var submission = Assert.Single(SlurmJobsRecord.Load(new WorkDirectory(work)).Submissions);
        Assert.Equal([0, 1, 2, 3], submission.Tasks);
        var tasks = await _client.ReadTasksAsync(submission.TasksJob!, Within(30));
        Assert.Equal([0, 1, 2, 3], tasks.Select(task => task.Index));
        Assert.All(tasks, task => Assert.Equal(SlurmTaskState.Completed, task.State));
        for (var task = 0; task < 4; task++)
        {
            Assert.Contains($"curate: task {task} done", File.ReadAllText(submission.TaskLog(new WorkDirectory(work), task)), StringComparison.Ordinal);
        }

        Assert.Equal("0\n", File.ReadAllText(Path.Combine(work, "markers", "merge.exit")));
    }

    [SkippableFact]
    public async Task SamplePipeline_AsFourSlurmTasksInSteps_GivesTheSingleProcessBytes()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var temp = new TempFolder();
        var pipeline = LocalTasksTests.SampleWithReviewExport(temp);
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);
        var batch = File.ReadAllText(temp.File("export-store/batches.jsonl"));
        File.Delete(temp.File("export-store/batches.jsonl"));
        var work = temp.File("work");

        var run = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("slurm"), "--executor", "slurm", "--tasks", "4", "--work-dir", work, "--wait", "--mem", "1G", "--time", "10"]);

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        foreach (var file in new[] { "data.jsonl", "rejects.jsonl", "clusters.jsonl", "review/tasks.json", "review/labeling-config.xml" })
        {
            LocalTasksTests.AssertSameBytes(plain, temp.File("slurm"), file);
        }

        // The merge job wrote the review export and recorded its batch, as the single process did.
        Assert.Equal(batch, File.ReadAllText(temp.File("export-store/batches.jsonl")));

        // Steps 0 and 2 (near-dedup's pairs) as arrays of 4 tasks, exact-dedup's keys (1) and near-dedup's clusters (3)
        // as one task each, in order, then the last step, 4 tasks (apply-review and review-export run inside them), as
        // the tasks job.
        var submission = Assert.Single(SlurmJobsRecord.Load(new WorkDirectory(work)).Submissions);
        Assert.Equal([(0, false, 4), (1, true, 1), (2, false, 4), (3, true, 1)], submission.Steps.Select(step => (step.Step, step.Gather, step.Tasks.Count)));
        Assert.Equal([0, 1, 2, 3], submission.Tasks);
        foreach (var job in submission.JobIds)
        {
            Assert.All(await _client.ReadTasksAsync(job, Within(30)), task => Assert.Equal(SlurmTaskState.Completed, task.State));
        }

        Assert.Contains("curate: step 1 done", File.ReadAllText(submission.Steps[1].Log(new WorkDirectory(work), 0)), StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 4), task => Assert.Contains($"curate: task {task} done", File.ReadAllText(submission.Steps[2].Log(new WorkDirectory(work), task)), StringComparison.Ordinal));
        Assert.Contains("curate: step 3 done", File.ReadAllText(submission.Steps[3].Log(new WorkDirectory(work), 0)), StringComparison.Ordinal);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(work, "parts", "step-02"), "pairs-*").Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(work, "parts", "step-02"), "envelopes-*"));
        Assert.Equal("0\n", File.ReadAllText(Path.Combine(work, "markers", "merge.exit")));
    }

    [SkippableFact]
    public async Task TaskCancelledWhileRunning_FailsTheRun_RelaunchSubmitsOnlyIt_AndTheResultIsUnchanged()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var temp = new TempFolder();
        var (pipeline, plain) = await PlainRunAsync(temp);
        var work = new WorkDirectory(temp.File("work"));
        string[] args = ["run", pipeline, "-o", temp.File("slurm"), "--executor", "slurm", "--tasks", "4", "--work-dir", work.Path, "--wait", "--mem", "1G"];
        try
        {
            // Task 1 waits for a file that never comes, so it is surely running when it is cancelled.
            var info = CurateProcess.StartInfo(args);
            info.Environment[ShardTaskCommand.TestHoldVariable] = "1:" + temp.File("never");
            ProcessResult first;
            using (var process = Process.Start(info)!)
            {
                var waiting = CurateProcess.WaitAsync(process, TimeSpan.FromMinutes(3));
                var submission = await SubmittedAsync(work, Within(60));
                await UntilAsync(async () => (await _client.ReadTasksAsync(submission.TasksJob!, Within(30))).Any(t => t.Index == 1 && t.State == SlurmTaskState.Running)
                    && File.Exists(submission.TaskLog(work, 1)) && File.ReadAllText(submission.TaskLog(work, 1)).Contains("held until", StringComparison.Ordinal), Within(90));
                await _client.CancelAsync(submission.TasksJob!, 1, Within(30));
                first = await waiting;
            }

            Assert.True(first.ExitCode == ExitCodes.RunFailed, first.ToString());
            var cancelled = SlurmJobsRecord.Load(work).Latest!;
            Assert.Contains($"curate: task 1 failed: ", first.Error, StringComparison.Ordinal);
            Assert.Contains($"log: {cancelled.TaskLog(work, 1)}", first.Error, StringComparison.Ordinal);
            Assert.Contains("curate: run failed: 1 of 4 tasks failed", first.Error, StringComparison.Ordinal);
            Assert.False(work.IsDone(1));
            Assert.False(File.Exists(temp.File("slurm/data.jsonl")), "nothing is merged when a task failed");
            var status = await CurateProcess.RunAsync(["status", work.Path]);
            Assert.True(status.ExitCode == ExitCodes.RunFailed, status.ToString());
            Assert.Contains("4 tasks: 3 done, 0 running, 1 failed, 0 pending", status.Output, StringComparison.Ordinal);
            Assert.Matches($@"(?m)^\s+1  failed .*slurm {cancelled.TasksJob}_1 CANCELLED.*log: ", status.Output);

            var again = await CurateProcess.RunAsync(args);

            Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
            var relaunch = SlurmJobsRecord.Load(work).Submissions;
            Assert.Equal(2, relaunch.Count);
            Assert.Equal([1], relaunch[1].Tasks);
            Assert.Contains("--array=1)", again.Output, StringComparison.Ordinal);
            var rerun = await _client.ReadTasksAsync(relaunch[1].TasksJob!, Within(30));
            Assert.Equal((1, SlurmTaskState.Completed), (Assert.Single(rerun).Index, rerun[0].State));
            LocalTasksTests.AssertSameBytes(plain, temp.File("slurm"), "data.jsonl");
            LocalTasksTests.AssertSameBytes(plain, temp.File("slurm"), "rejects.jsonl");
            var done = await CurateProcess.RunAsync(["status", work.Path]);
            Assert.Contains("4 tasks: 4 done, 0 running, 0 failed, 0 pending", done.Output, StringComparison.Ordinal);
        }
        finally
        {
            await CancelAllAsync(work);
        }
    }

    [SkippableFact]
    public async Task WithoutWait_ReturnsTheJobIdsAtOnce_TheMergeWaitsForTheTasks()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var temp = new TempFolder();
        var (pipeline, plain) = await PlainRunAsync(temp);
        var work = new WorkDirectory(temp.File("work"));
        string[] args = ["run", pipeline, "-o", temp.File("slurm"), "--executor", "slurm", "--tasks", "3", "--work-dir", work.Path, "--mem", "1G"];
        var release = temp.File("release");
        try
        {
            // Task 0 waits until the test lets it go: the merge cannot have started when the command returns.
            var info = CurateProcess.StartInfo(args);
            info.Environment[ShardTaskCommand.TestHoldVariable] = "0:" + release;
            ProcessResult submitted;
            using (var process = Process.Start(info)!)
            {
                submitted = await CurateProcess.WaitAsync(process, TimeSpan.FromMinutes(1));
            }

            Assert.True(submitted.ExitCode == ExitCodes.Ok, submitted.ToString());
            var ids = JobIds().Match(submitted.Output);
            Assert.True(ids.Success, submitted.Output);
            var (tasksJob, mergeJob) = (ids.Groups[1].Value, ids.Groups[2].Value);
            Assert.Contains($"scancel {tasksJob} {mergeJob}", submitted.Output, StringComparison.Ordinal);
            Assert.Contains($"curate status {work.Path}", submitted.Output, StringComparison.Ordinal);
            var submission = Assert.Single(SlurmJobsRecord.Load(work).Submissions);
            Assert.Equal((tasksJob, mergeJob), (submission.TasksJob, submission.MergeJob));
            Assert.Equal([0, 1, 2], submission.Tasks);
            var merge = Assert.Single(await _client.ReadTasksAsync(mergeJob, Within(30)));
            Assert.Equal(SlurmTaskState.Pending, merge.State);

            var twice = await CurateProcess.RunAsync(args);
            Assert.True(twice.ExitCode == ExitCodes.RunFailed, twice.ToString());
            Assert.Contains($"Slurm job {tasksJob} of an earlier submission of this run is still queued or running", twice.Error, StringComparison.Ordinal);
            var local = await CurateProcess.RunAsync(["run", pipeline, "-o", temp.File("slurm"), "--tasks", "3", "--work-dir", work.Path]);
            Assert.True(local.ExitCode == ExitCodes.RunFailed, local.ToString());
            Assert.Contains($"Slurm job {tasksJob} of an earlier submission of this run is still queued or running", local.Error, StringComparison.Ordinal);
            var status = await CurateProcess.RunAsync(["status", work.Path]);
            Assert.Matches($@"(?m)^\s+0  (pending|running) .*slurm {tasksJob}_0 (PENDING|RUNNING)", status.Output);
            Assert.Contains($"merge: slurm {mergeJob}_0 PENDING (Dependency)", status.Output, StringComparison.Ordinal);

            File.WriteAllText(release, string.Empty);
            var merged = await _client.WaitAsync(mergeJob, TimeSpan.FromMilliseconds(500), null, Within(180));

            Assert.Equal(SlurmTaskState.Completed, Assert.Single(merged).State);
            Assert.Equal("0\n", File.ReadAllText(work.MergeExitFile));
            LocalTasksTests.AssertSameBytes(plain, temp.File("slurm"), "data.jsonl");
            LocalTasksTests.AssertSameBytes(plain, temp.File("slurm"), "rejects.jsonl");
            Assert.Single(SlurmJobsRecord.Load(work).Submissions);
        }
        finally
        {
            File.WriteAllText(release, string.Empty);
            await CancelAllAsync(work);
        }
    }

    [Fact]
    public async Task SlurmSettings_WithTheLocalExecutor_OrMalformed_AreRefusedBeforeAnything()
    {
        using var temp = new TempFolder();
        var pipeline = temp.Write("records.yaml", LocalTasksTests.Pipeline(LocalTasksTests.SampleInputs, LocalTasksTests.RecordStages, temp.File("out")));

        var local = await CliRunner.RunAsync("run", pipeline, "--tasks", "2", "--wait");
        var flags = await CliRunner.RunAsync("run", pipeline, "--executor", "slurm", "--tasks", "2", "--mem", "4 GB", "--time", "1:75:00");

        Assert.Equal(ExitCodes.UsageOrConfig, local.ExitCode);
        Assert.StartsWith("curate: --wait and the Slurm settings", local.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageOrConfig, flags.ExitCode);
        Assert.Equal(
            "curate: --mem: expected a whole number with an optional K, M, G or T (e.g. 4G, 500M; megabytes without), got '4 GB'\n"
            + "curate: --time: expected minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 2:00:00, 1-12), got '1:75:00'\n",
            flags.Error.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(temp.File("out.work")), "nothing is planned for a refused run");
    }

    [Fact]
    public async Task ExecutorSection_BadValue_IsAConfigErrorAtItsPosition()
    {
        using var temp = new TempFolder();
        var pipeline = temp.Write("p.yaml", LocalTasksTests.Pipeline(LocalTasksTests.SampleInputs, LocalTasksTests.RecordStages, temp.File("out"))
            + "executor:\n  partition: debug\n  mem: lots\n");

        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "--executor", "slurm", "--tasks", "2");

        Assert.Equal(ExitCodes.UsageOrConfig, exitCode);
        Assert.Matches(@"p\.yaml:\d+:8: executor: parameter 'mem': expected a whole number with an optional K, M, G or T", error);
    }

    private static CancellationToken Within(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private static async Task<(string Pipeline, string Plain)> PlainRunAsync(TempFolder temp)
    {
        var pipeline = temp.Write("records.yaml", LocalTasksTests.Pipeline(LocalTasksTests.SampleInputs, LocalTasksTests.RecordStages, temp.File("out")));
        var plain = temp.File("plain");
        var (exitCode, _, error) = await CliRunner.RunAsync("run", pipeline, "-o", plain, "--workers", "2");
        Assert.True(exitCode == ExitCodes.Ok, error);
        return (pipeline, plain);
    }

    private static async Task<SlurmSubmission> SubmittedAsync(WorkDirectory work, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (File.Exists(work.JobsFile) && SlurmJobsRecord.Load(work).Latest is { } submission)
            {
                return submission;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(200, cancellationToken);
        }
    }

    private async Task CancelAllAsync(WorkDirectory work)
    {
        if (!File.Exists(work.JobsFile))
        {
            return;
        }

        foreach (var job in SlurmJobsRecord.Load(work).Submissions.SelectMany(submission => submission.JobIds))
        {
            await _client.CancelAsync(job, null, Within(30));
        }
    }

    [GeneratedRegex(@"(?m)^tasks: Slurm job (\d+) .*\nmerge: Slurm job (\d+) ")]
    private static partial Regex JobIds();
}
