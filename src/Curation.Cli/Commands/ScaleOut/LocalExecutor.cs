using System.Diagnostics;
using System.Globalization;
using Curation.Pipeline.ScaleOut;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// Runs the steps of a sharded run as worker processes on this machine, the entry points a cluster's jobs call:
/// a step's tasks (<c>curate shard-task WORKDIR INDEX --step K</c>), at most <c>parallel</c> at once, and gather steps
/// (<c>curate shard-gather WORKDIR --step K</c>), each worker's output in its log. Interrupted, it stops the workers it
/// started.
/// </summary>
internal sealed class LocalExecutor(WorkDirectory work, int tasks, int parallel, int workersPerTask)
{
    /// <summary>Runs the tasks of a step (the one process of a gather step); returns those that failed, with their exit status.</summary>
    public async Task<IReadOnlyList<(int Task, int ExitCode)>> RunAsync(ShardStep step, IReadOnlyList<int> indices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(indices);
        var failed = new List<(int Task, int ExitCode)>();
        using var slots = new SemaphoreSlim(Math.Max(1, step.IsSingle ? 1 : parallel));
        var running = indices.Select(async task =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                var exit = await RunOneAsync(step, task, cancellationToken);
                if (exit != 0)
                {
                    lock (failed)
                    {
                        failed.Add((task, exit));
                    }
                }
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        await Task.WhenAll(running);
        return [.. failed.OrderBy(failure => failure.Task)];
    }

    /// <summary>The command line of one worker: this same program, with the hidden task or gather command.</summary>
    public static ProcessStartInfo WorkerStartInfo(string workDirectory, ShardStep step, int task, int workers)
    {
        ArgumentNullException.ThrowIfNull(step);
        var self = CurateSelf.Command();
        var arguments = self.Skip(1).ToList();
        arguments.AddRange(step.IsSingle
            ? [ShardGatherCommand.Name, workDirectory]
            : [ShardTaskCommand.Name, workDirectory, task.ToString(CultureInfo.InvariantCulture)]);
        arguments.AddRange(["--step", step.Index.ToString(CultureInfo.InvariantCulture), "--workers", workers.ToString(CultureInfo.InvariantCulture)]);
        return new ProcessStartInfo(self[0], arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
    }

    /// <summary>The files of task <paramref name="task"/> of <paramref name="step"/>: its markers and log.</summary>
    public StepFiles FilesOf(ShardStep step, int task) => step.IsSingle ? work.GatherFiles(step.Index) : work.TaskFiles(step, task, tasks);

    private async Task<int> RunOneAsync(ShardStep step, int task, CancellationToken cancellationToken)
    {
        // A gather step runs alone: it gets the cores of all the tasks.
        var workers = step.IsSingle ? Math.Max(workersPerTask, Environment.ProcessorCount) : workersPerTask;
        using var process = Process.Start(WorkerStartInfo(work.Path, step, task, workers))
            ?? throw new InvalidOperationException($"task {task}: the worker process did not start");
        await using var log = new StreamWriter(FilesOf(step, task).Log, append: false);
        var copyOut = CopyAsync(process.StandardOutput, log);
        var copyErr = CopyAsync(process.StandardError, log);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            await Task.WhenAll(copyOut, copyErr);
        }

        return process.ExitCode;
    }

    private static async Task CopyAsync(StreamReader from, StreamWriter to)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            lock (to)
            {
                to.WriteLine(line);
                to.Flush();
            }
        }
    }
}
