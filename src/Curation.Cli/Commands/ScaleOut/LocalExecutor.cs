using System.Diagnostics;
using System.Globalization;
using Curation.Pipeline.ScaleOut;

namespace Curation.Cli.Commands.ScaleOut;

/// <summary>
/// Runs shard tasks as worker processes on this machine (<c>curate shard-task WORKDIR INDEX</c>, the entry point a
/// cluster's array tasks call), at most <c>parallel</c> at once, each task's output in its log. Interrupted, it
/// stops the workers it started.
/// </summary>
internal sealed class LocalExecutor(WorkDirectory work, int parallel, int workersPerTask)
{
    /// <summary>Runs the tasks; returns those that failed, with their exit status.</summary>
    public async Task<IReadOnlyList<(int Task, int ExitCode)>> RunAsync(IReadOnlyList<int> tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var failed = new List<(int Task, int ExitCode)>();
        using var slots = new SemaphoreSlim(Math.Max(1, parallel));
        var running = tasks.Select(async task =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                var exit = await RunOneAsync(task, cancellationToken);
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

    /// <summary>The command line of one worker: this same program, with the hidden task command.</summary>
    public static ProcessStartInfo WorkerStartInfo(string workDirectory, int task, int workers)
    {
        var self = CurateSelf.Command();
        var arguments = self.Skip(1).ToList();
        arguments.AddRange([ShardTaskCommand.Name, workDirectory, task.ToString(CultureInfo.InvariantCulture), "--workers", workers.ToString(CultureInfo.InvariantCulture)]);
        var info = new ProcessStartInfo(self[0], arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return info;
    }

    private async Task<int> RunOneAsync(int task, CancellationToken cancellationToken)
    {
        using var process = Process.Start(WorkerStartInfo(work.Path, task, workersPerTask))
            ?? throw new InvalidOperationException($"task {task}: the worker process did not start");
        await using var log = new StreamWriter(work.Log(task), append: false);
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
