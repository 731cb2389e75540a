using Curation.Core.Runtime;
using Spectre.Console;

namespace Curation.Cli.Console;

/// <summary>A Spectre.Console progress bar over input bytes, for interactive terminals.</summary>
internal sealed class LiveProgress : IRunObserver
{
    private ProgressTask? _task;

    public static bool IsTerminal =>
        !System.Console.IsErrorRedirected
        && !System.Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("CI") is null
        && AnsiConsole.Profile.Capabilities.Interactive;

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                _task = context.AddTask("curating", maxValue: 1);
                result = await work();
                _task.Value = _task.MaxValue;
            });
        return result;
    }

    public void OnProgress(RunProgress progress)
    {
        if (_task is null)
        {
            return;
        }

        _task.MaxValue = Math.Max(1, progress.TotalBytes);
        _task.Value = Math.Min(progress.BytesRead, _task.MaxValue);
        _task.Description = $"read {progress.RecordsRead:N0}, kept {progress.RecordsWritten:N0}, rejected {progress.RecordsRejected:N0}{(progress.Activity is { } activity ? "; " + Markup.Escape(activity) : string.Empty)}";
    }
}
