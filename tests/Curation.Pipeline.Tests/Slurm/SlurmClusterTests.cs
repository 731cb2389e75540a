using Curation.Core;
using Curation.Pipeline.Slurm;
using Curation.TestKit;

namespace Curation.Pipeline.Tests.Slurm;

/// <summary>
/// Real job arrays on the one-node cluster of tests/slurm/start-cluster.sh (CI starts it; locally the first test
/// starts it, or every test here reports Skipped saying why).
/// </summary>
public sealed class SlurmClusterTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly SlurmClient _client = new(ProcessCommandRunner.Instance, TimeProvider.System);

    private static SlurmResources Small => new() { Mem = "64M", Time = "5" };

    private static CancellationToken Within(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private static SlurmArrayRequest Shell(TempFolder folder, string name, int tasks, string script) => new()
    {
        JobName = name,
        Indices = SlurmArrayRequest.AllTasks(tasks),
        Command = ["/bin/sh", "-c", script, "task"],
        LogDirectory = folder.Path,
        WorkingDirectory = folder.Path,
        Resources = Small,
    };

    [SkippableFact]
    public async Task FourTaskArray_EachTaskRunsWithItsIndex_StatesAndLogsPerTask()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var folder = new TempFolder();
        var request = Shell(folder, "curation-test-four", 4,
            "echo \"task $1 of $SLURM_ARRAY_JOB_ID\"; printf '%s\\n' \"$SLURM_ARRAY_JOB_ID\" > marker-$1; [ \"$1\" != 2 ] || exit 3");
        request = request with { Resources = Small.With(new SlurmResources { MaxParallel = 2 }), LogDirectory = folder.File("logs/step-1") };

        var jobId = await _client.SubmitArrayAsync(request, Within(30));
        var tasks = await _client.WaitAsync(jobId, Poll, null, Within(60));

        Assert.Equal([0, 1, 2, 3], tasks.Select(t => t.Index));
        Assert.Equal(
            [SlurmTaskState.Completed, SlurmTaskState.Completed, SlurmTaskState.Failed, SlurmTaskState.Completed],
            tasks.Select(t => t.State));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(jobId + "\n", await File.ReadAllTextAsync(folder.File($"marker-{i}")));
            Assert.Equal($"task {i} of {jobId}\n", await File.ReadAllTextAsync(folder.File($"logs/step-1/curation-test-four-{jobId}_{i}.log")));
        }
    }

    [SkippableFact]
    public async Task DependentArray_StartsOnlyAfterEveryTaskOfTheFirstSucceeded()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var folder = new TempFolder();

        var first = await _client.SubmitArrayAsync(Shell(folder, "curation-test-first", 4, "sleep 1; touch first-$1"), Within(30));
        var second = await _client.SubmitArrayAsync(
            Shell(folder, "curation-test-second", 3, "ls first-* | wc -l | tr -d ' ' > second-$1") with { AfterOk = [first] }, Within(30));
        var waiting = await _client.ReadTasksAsync(second, Within(30));
        var secondTasks = await _client.WaitAsync(second, Poll, null, Within(90));
        var firstTasks = await _client.ReadTasksAsync(first, Within(30));

        Assert.Equal([0, 1, 2], waiting.Select(t => t.Index));
        Assert.All(waiting, t => Assert.Equal(SlurmTaskState.Pending, t.State));
        Assert.All(firstTasks, t => Assert.Equal(SlurmTaskState.Completed, t.State));
        Assert.All(secondTasks, t => Assert.Equal(SlurmTaskState.Completed, t.State));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("4\n", await File.ReadAllTextAsync(folder.File($"second-{i}")));
        }
    }

    [SkippableFact]
    public async Task DependentArray_FirstHasAFailedTask_IsCancelledWithoutRunning()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var folder = new TempFolder();

        var first = await _client.SubmitArrayAsync(Shell(folder, "curation-test-failing", 2, "[ \"$1\" != 0 ] || exit 1"), Within(30));
        var second = await _client.SubmitArrayAsync(
            Shell(folder, "curation-test-never", 2, "touch ran-$1") with { AfterOk = [first] }, Within(30));
        var secondTasks = await _client.WaitAsync(second, Poll, null, Within(60));

        Assert.All(secondTasks, t => Assert.Equal(SlurmTaskState.Cancelled, t.State));
        Assert.Empty(Directory.GetFiles(folder.Path, "ran-*"));
    }

    [SkippableFact]
    public async Task CancelOneTask_ShowsAsCancelled_AndRelaunchingJustThatIndexCompletesIt()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var folder = new TempFolder();
        var request = Shell(folder, "curation-test-cancel", 4, "if [ \"$1\" = 1 ] && [ ! -e go ]; then sleep 120 || exit 1; fi; touch marker-$1");

        var jobId = await _client.SubmitArrayAsync(request, Within(30));
        try
        {
            await WaitUntil(jobId, tasks => tasks.Any(t => t.Index == 1 && t.State == SlurmTaskState.Running), Within(60));
            await _client.CancelAsync(jobId, 1, Within(30));
            var tasks = await _client.WaitAsync(jobId, Poll, null, Within(60));

            Assert.Equal(
                [SlurmTaskState.Completed, SlurmTaskState.Cancelled, SlurmTaskState.Completed, SlurmTaskState.Completed],
                tasks.Select(t => t.State));
            Assert.False(File.Exists(folder.File("marker-1")));

            await File.WriteAllTextAsync(folder.File("go"), string.Empty);
            var relaunch = await _client.SubmitArrayAsync(request with { Indices = [1] }, Within(30));
            var relaunched = await _client.WaitAsync(relaunch, Poll, null, Within(60));

            Assert.NotEqual(jobId, relaunch);
            Assert.Equal((1, SlurmTaskState.Completed), (Assert.Single(relaunched).Index, relaunched[0].State));
            Assert.True(File.Exists(folder.File("marker-1")));
            Assert.True(File.Exists(folder.File($"curation-test-cancel-{relaunch}_1.log")));
        }
        finally
        {
            await _client.CancelAsync(jobId, null, Within(30));
        }
    }

    [SkippableFact]
    public async Task Submit_UnknownPartitionOrTooMuchMemory_RefusedWithSbatchsOwnMessage()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var folder = new TempFolder();
        var request = Shell(folder, "curation-test-refused", 2, "true");

        var partition = await Assert.ThrowsAsync<CurationException>(() =>
            _client.SubmitArrayAsync(request with { Resources = Small.With(new SlurmResources { Partition = "no-such-partition" }) }, Within(30)));
        var memory = await Assert.ThrowsAsync<CurationException>(() =>
            _client.SubmitArrayAsync(request with { Resources = Small.With(new SlurmResources { Mem = "100000G" }) }, Within(30)));

        Assert.StartsWith("sbatch refused job array 'curation-test-refused': invalid partition specified: no-such-partition;", partition.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the partitions here: sinfo --summarize", partition.Message, StringComparison.Ordinal);
        Assert.StartsWith("sbatch refused job array 'curation-test-refused': Memory specification can not be satisfied;", memory.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Wait_MoreCpusThanAnyNode_FailsSayingTheTaskCannotStart()
    {
        Skip.If(LocalSlurmCluster.Missing is not null, LocalSlurmCluster.Missing);
        using var folder = new TempFolder();
        var request = Shell(folder, "curation-test-too-big", 2, "true") with { Resources = Small.With(new SlurmResources { CpusPerTask = 4096 }) };

        var jobId = await _client.SubmitArrayAsync(request, Within(30));
        try
        {
            var error = await Assert.ThrowsAsync<CurationException>(() => _client.WaitAsync(jobId, Poll, null, Within(60)));

            Assert.StartsWith($"Slurm task {jobId}_0 cannot start: PartitionConfig (", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await _client.CancelAsync(jobId, null, Within(30));
        }
    }

    private async Task WaitUntil(string jobId, Func<IReadOnlyList<SlurmTaskStatus>, bool> condition, CancellationToken cancellationToken)
    {
        while (!condition(await _client.ReadTasksAsync(jobId, cancellationToken)))
        {
            await Task.Delay(Poll, cancellationToken);
        }
    }
}
