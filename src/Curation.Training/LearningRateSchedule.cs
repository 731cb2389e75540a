namespace Curation.Training;

/// <summary>Linear warmup from 0, then cosine decay to <c>minimum × peak</c> at the last step.</summary>
public sealed record LearningRateSchedule(double Peak, int WarmupSteps, int TotalSteps, double MinimumRatio = 0)
{
    /// <summary>The rate for 1-based optimizer step <paramref name="step"/>.</summary>
    public double At(int step)
    {
        if (step <= WarmupSteps)
        {
            return Peak * step / Math.Max(1, WarmupSteps);
        }

        var progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
        return Peak * (MinimumRatio + ((1 - MinimumRatio) * cosine));
    }
}
