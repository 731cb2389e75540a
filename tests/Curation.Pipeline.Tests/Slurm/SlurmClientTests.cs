using System.Diagnostics;
using Curation.Core;
using Curation.Pipeline.Slurm;
using Curation.TestKit;

namespace Curation.Pipeline.Tests.Slurm;

/// <summary>The command lines the client builds and how it reads Slurm's answers, without a cluster.</summary>
public sealed class SlurmClientTests
{
    private static readonly string Logs = Path.Combine(Path.GetTempPath(), "curation-tests", "slurm-client-logs");

    private static SlurmArrayRequest Request(SlurmResources? resources = null, IReadOnlyList<string>? afterOk = null) => new()
    {
        JobName = "curate-sample-records",
        Indices = SlurmArrayRequest.AllTasks(64),
        Command = ["/opt/curate/curate", "shard-task", "/shared/work"],
        LogDirectory = Logs,
        AfterOk = afterOk ?? [],
        Resources = resources ?? new SlurmResources(),
    };

    [Fact]
    public async Task SubmitArray_AllSettings_PassesEachAsItsSbatchOptionAndReturnsTheJobId()
    {
        var runner = new ScriptedCommandRunner().Answer("sbatch", 0, "4242;cluster-a\n");
        var client = new SlurmClient(runner, TimeProvider.System);
        var resources = new SlurmResources { CpusPerTask = 4, Mem = "16G", Time = "1-12:00:00", Partition = "cpu,bigmem", Account = "proj-7", MaxParallel = 8 };

        var jobId = await client.SubmitArrayAsync(Request(resources, afterOk: ["4100", "4101"]), CancellationToken.None);

        Assert.Equal("4242", jobId);
        var (program, arguments, input) = Assert.Single(runner.Calls);
        Assert.Equal("sbatch", program);
        Assert.Equal(
            [
                "--parsable", "--array=0-63%8", "--job-name=curate-sample-records", "--output=" + Logs + "/%x-%A_%a.log",
                "--dependency=afterok:4100:4101", "--kill-on-invalid-dep=yes",
                "--cpus-per-task=4", "--mem=16G", "--time=1-12:00:00", "--partition=cpu,bigmem", "--account=proj-7",
            ],
            arguments);
        Assert.Equal("#!/bin/sh\nexec '/opt/curate/curate' 'shard-task' '/shared/work' \"$SLURM_ARRAY_TASK_ID\"\n", input);
        Assert.True(Directory.Exists(Logs));
    }

    [Fact]
    public async Task SubmitArray_NoSettings_LeavesResourcesToTheClusterDefaults()
    {
        var runner = new ScriptedCommandRunner().Answer("sbatch", 0, "17\n");
        var client = new SlurmClient(runner, TimeProvider.System);

        var jobId = await client.SubmitArrayAsync(Request() with { WorkingDirectory = "/shared/work" }, CancellationToken.None);

        Assert.Equal("17", jobId);
        Assert.Equal(
            ["--parsable", "--array=0-63", "--job-name=curate-sample-records", "--output=" + Logs + "/%x-%A_%a.log", "--chdir=/shared/work"],
            runner.Calls[0].Arguments);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, "0-3")]
    [InlineData(new[] { 5 }, "5")]
    [InlineData(new[] { 9, 3, 1, 2, 10, 7, 3 }, "1-3,7,9-10")]
    public void ArraySpec_FoldsRunsOfIndicesIntoRanges(int[] indices, string expected) =>
        Assert.Equal(expected, SlurmClient.ArraySpec(indices));

    [Fact]
    public async Task BatchScript_RunThroughSh_GivesTheProgramItsArgumentsVerbatimAndTheTaskIndexLast()
    {
        using var folder = new TempFolder();
        var output = folder.File("args.txt");
        string[] awkward = ["it's", "two words", "$HOME", "\"quoted\"", "back\\slash", "`date`", "*"];
        var script = SlurmClient.BatchScript(["/bin/sh", "-c", "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$OUT\"", "sh", .. awkward]);
        var scriptFile = folder.Write("task.sh", script);

        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, ArgumentList = { scriptFile } };
        start.Environment["SLURM_ARRAY_TASK_ID"] = "12";
        start.Environment["OUT"] = output;
        using (var process = Process.Start(start)!)
        {
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
        }

        var received = await File.ReadAllLinesAsync(output);
        Assert.Equal(awkward.Append("12"), received);
    }

    [Fact]
    public void BatchScript_WithoutTheTaskIndex_EndsWithTheCommandsLastWord() =>
        Assert.Equal("#!/bin/sh\nexec '/opt/curate' 'shard-merge' '/shared/work'\n", SlurmClient.BatchScript(["/opt/curate", "shard-merge", "/shared/work"], appendTaskIndex: false));

    [Fact]
    public async Task SubmitArray_SbatchMissing_SaysWhereTheExecutorRuns()
    {
        var client = new SlurmClient(new ScriptedCommandRunner(), TimeProvider.System);

        var error = await Assert.ThrowsAsync<CurationException>(() => client.SubmitArrayAsync(Request(), CancellationToken.None));

        Assert.StartsWith("sbatch not found on PATH: the Slurm executor runs where Slurm's commands do", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(
        "sbatch: error: invalid partition specified: gpu-typo\nsbatch: error: Batch job submission failed: Invalid partition name specified\n",
        "sbatch refused job array 'curate-sample-records': invalid partition specified: gpu-typo; Batch job submission failed: Invalid partition name specified; the partitions here: sinfo --summarize")]
    [InlineData(
        "sbatch: error: Batch job submission failed: Invalid account or account/partition combination specified\n",
        "sbatch refused job array 'curate-sample-records': Batch job submission failed: Invalid account or account/partition combination specified; your accounts and their partitions: sacctmgr show associations user=$USER format=account,partition")]
    [InlineData(
        "sbatch: error: Memory specification can not be satisfied\nsbatch: error: Batch job submission failed: Requested node configuration is not available\n",
        "sbatch refused job array 'curate-sample-records': Memory specification can not be satisfied; Batch job submission failed: Requested node configuration is not available; ask for fewer CPUs or less memory per task (what the nodes have: sinfo --Node --long)")]
    [InlineData(
        "sbatch: error: Batch job submission failed: Requested time limit is invalid (missing or exceeds some limit)\n",
        "sbatch refused job array 'curate-sample-records': Batch job submission failed: Requested time limit is invalid (missing or exceeds some limit); the partitions' time limits: sinfo --summarize")]
    [InlineData("", "sbatch refused job array 'curate-sample-records': exit status 1 and no message")]
    public async Task SubmitArray_Refused_OneLineWithSbatchsOwnWordsAndWhereToLook(string stderr, string expected)
    {
        var client = new SlurmClient(new ScriptedCommandRunner().Answer("sbatch", 1, "", stderr), TimeProvider.System);

        var error = await Assert.ThrowsAsync<CurationException>(() => client.SubmitArrayAsync(Request(), CancellationToken.None));

        Assert.Equal(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task ReadTasks_SqueueAndSacct_ControllerStatesWinAndAccountingFillsThePurgedTasks()
    {
        var runner = new ScriptedCommandRunner()
            .Answer("squeue", 0, "88_2|RUNNING|None\n88_3|PENDING|Dependency\n")
            .Answer("sacct", 0, "88_0|COMPLETED\n88_1|CANCELLED by 1000\n88_2|PENDING\n");
        var client = new SlurmClient(runner, TimeProvider.System);

        var tasks = await client.ReadTasksAsync("88", CancellationToken.None);

        Assert.Equal(
            [
                new SlurmTaskStatus("88", 0, SlurmTaskState.Completed, "COMPLETED", ""),
                new SlurmTaskStatus("88", 1, SlurmTaskState.Cancelled, "CANCELLED by 1000", ""),
                new SlurmTaskStatus("88", 2, SlurmTaskState.Running, "RUNNING", ""),
                new SlurmTaskStatus("88", 3, SlurmTaskState.Pending, "PENDING", "Dependency"),
            ],
            tasks);
        Assert.Equal(["--noheader", "--array", "--states=all", "--jobs=88", "--format=%i|%T|%r"], runner.Calls[0].Arguments);
        Assert.Equal(["--allocations", "--noheader", "--parsable2", "--jobs=88", "--format=JobID,State"], runner.Calls[1].Arguments);
    }

    [Fact]
    public async Task ReadTasks_NoAccounting_ReadsSqueueAloneAndStopsAskingSacct()
    {
        var runner = new ScriptedCommandRunner()
            .Answer("squeue", 0, "5_0|COMPLETED|None\n")
            .Answer("squeue", 0, "5_0|COMPLETED|None\n")
            .Answer("sacct", 1, "", "Slurm accounting storage is disabled\n");
        var client = new SlurmClient(runner, TimeProvider.System);

        await client.ReadTasksAsync("5", CancellationToken.None);
        var tasks = await client.ReadTasksAsync("5", CancellationToken.None);

        Assert.Equal(SlurmTaskState.Completed, Assert.Single(tasks).State);
        Assert.Equal(["squeue", "sacct", "squeue"], runner.Calls.Select(c => c.Program));
    }

    [Fact]
    public async Task ReadTasks_PurgedFromTheController_ComesFromAccountingWithFoldedPendingTasksUnfolded()
    {
        var runner = new ScriptedCommandRunner()
            .Answer("squeue", 1, "", "slurm_load_jobs error: Invalid job id specified\n")
            .Answer("sacct", 0, "301_0|COMPLETED\n301_1|OUT_OF_MEMORY\n301_[2-4,7%2]|PENDING\n");
        var client = new SlurmClient(runner, TimeProvider.System);

        var tasks = await client.ReadTasksAsync("301", CancellationToken.None);

        Assert.Equal([0, 1, 2, 3, 4, 7], tasks.Select(t => t.Index));
        Assert.Equal(SlurmTaskState.OutOfMemory, tasks[1].State);
        Assert.All(tasks.Skip(2), t => Assert.Equal(SlurmTaskState.Pending, t.State));
    }

    [Fact]
    public async Task Wait_TaskThatCanNeverStart_FailsAtOnceNamingTheReason()
    {
        var runner = new ScriptedCommandRunner()
            .Answer("squeue", 0, "9_0|PENDING|PartitionConfig\n9_1|PENDING|PartitionConfig\n")
            .Answer("sacct", 1, "", "Slurm accounting storage is disabled\n");
        var client = new SlurmClient(runner, TimeProvider.System);

        var error = await Assert.ThrowsAsync<CurationException>(() => client.WaitAsync("9", TimeSpan.FromHours(1), null, CancellationToken.None));

        Assert.Equal("Slurm task 9_0 cannot start: PartitionConfig (it asks for more CPUs, memory or nodes than the partition allows); cancel it with: scancel 9", error.Message);
    }

    [Fact]
    public async Task Cancel_OneTask_NamesItJobIdUnderscoreIndex()
    {
        var runner = new ScriptedCommandRunner().Answer("scancel", 0, "").Answer("scancel", 1, "", "scancel: error: Kill job error on job id 7_2: Access/permission denied\n");
        var client = new SlurmClient(runner, TimeProvider.System);

        await client.CancelAsync("7", 3, CancellationToken.None);
        var error = await Assert.ThrowsAsync<CurationException>(() => client.CancelAsync("7", 2, CancellationToken.None));

        Assert.Equal(["7_3"], runner.Calls[0].Arguments);
        Assert.Equal("scancel 7_2 failed: Kill job error on job id 7_2: Access/permission denied", error.Message);
    }
}
