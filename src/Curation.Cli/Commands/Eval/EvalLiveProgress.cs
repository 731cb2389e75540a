using System.Collections.Concurrent;
using Curation.Evaluation.Runs;
using Spectre.Console;

namespace Curation.Cli.Commands.Eval;

/// <summary>A Spectre.Console progress bar per arm (calls answered of calls to make), for interactive terminals.</summary>
internal sealed class EvalLiveProgress : IEvalProgress
{
    private readonly ConcurrentDictionary<string, ProgressTask> _arms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failed = new(StringComparer.Ordinal);
    private ProgressContext? _context;

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                _context = context;
                result = await work();
            });
        return result;
    }

    public void ArmStarted(string arm, int calls, int cached)
    {
        var task = _context!.AddTask(Markup.Escape($"{arm}: {cached} cached"), maxValue: Math.Max(1, calls - cached));
        if (calls == cached)
        {
            task.Value = task.MaxValue;
        }

        _arms[arm] = task;
    }

    public void CallFinished(string arm, bool failed)
    {
        var task = _arms[arm];
        task.Increment(1);
        if (failed)
        {
            var count = _failed.AddOrUpdate(arm, 1, static (_, value) => value + 1);
            task.Description = Markup.Escape($"{arm}: {count} failed");
        }
    }

    public void ArmFinished(string arm) => _arms[arm].Value = _arms[arm].MaxValue;

    public void Note(string line) => _context!.AddTask(Markup.Escape(line), autoStart: false, maxValue: 1);
}
