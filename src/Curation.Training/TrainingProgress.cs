namespace Curation.Training;

/// <summary>One optimizer step as the progress display and the metrics file see it.</summary>
/// <param name="ResidentBytes">The process's resident memory after the step (to see that it stays flat).</param>
public sealed record StepMetrics(int Step, int TotalSteps, int Epoch, double Loss, double LearningRate, double GradientNorm, long Tokens, double TokensPerSecond, TimeSpan Elapsed, TimeSpan Remaining, long ResidentBytes);

/// <summary>A validation pass.</summary>
public sealed record ValidationMetrics(int Step, double Loss, long Tokens);

/// <summary>Where the trainer reports as it goes (console progress, tests).</summary>
public interface ITrainingObserver
{
    void OnStep(StepMetrics metrics);

    void OnValidation(ValidationMetrics metrics);

    void OnCheckpoint(int step, string folder);
}
