using System.Globalization;
using Curation.Training;
using Spectre.Console;

namespace Curation.Cli.Console;

/// <summary>A Spectre.Console progress bar over optimizer steps (loss, learning rate, tokens/s), for interactive terminals.</summary>
internal sealed class TrainingLiveProgress : ITrainingObserver
{
    private ProgressTask? _task;

    public string? LastCheckpoint { get; private set; }

    public T Run<T>(Func<T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                _task = context.AddTask("training", maxValue: 1);
                result = work();
            });
        return result;
    }

    public void OnStep(StepMetrics metrics)
    {
        if (_task is null)
        {
            return;
        }

        _task.MaxValue = metrics.TotalSteps;
        _task.Value = metrics.Step;
        _task.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"step {metrics.Step}/{metrics.TotalSteps}  loss {metrics.Loss:0.0000}  lr {metrics.LearningRate:0.00e+00}  {metrics.TokensPerSecond:N0} tok/s");
    }

    public void OnValidation(ValidationMetrics metrics) =>
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"step {metrics.Step}  validation loss {metrics.Loss:0.0000} over {metrics.Tokens:N0} tokens"));

    public void OnCheckpoint(int step, string folder)
    {
        LastCheckpoint = folder;
        AnsiConsole.MarkupLine(Markup.Escape($"step {step}  checkpoint {Curation.Core.Files.DisplayPath.For(folder)}"));
    }
}
