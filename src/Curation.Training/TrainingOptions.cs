using Curation.Training.Lora;

namespace Curation.Training;

/// <summary>Everything the training loop needs besides the model and data.</summary>
public sealed record TrainingOptions
{
    /// <summary>LoRA adapter shape; null trains every weight (<c>--full</c>).</summary>
    public LoraOptions? Lora { get; init; } = new();

    public double LearningRate { get; init; } = 2e-4;

    public double MinLearningRateRatio { get; init; }

    public int WarmupSteps { get; init; } = 10;

    public int Epochs { get; init; } = 1;

    /// <summary>Stop after this many optimizer steps (overrides epochs when set).</summary>
    public int? MaxSteps { get; init; }

    public int BatchSize { get; init; } = 4;

    public int GradientAccumulation { get; init; } = 1;

    public double WeightDecay { get; init; }

    /// <summary>Gradients are clipped to this norm; above 0 (the norm clipping measures is also how divergence is caught).</summary>
    public double MaxGradientNorm { get; init; } = 1.0;

    /// <summary>Validation loss every this many steps (and at the end); 0: only at the end.</summary>
    public int EvaluateEvery { get; init; } = 50;

    /// <summary>A resumable checkpoint every this many steps (and at the end); 0: only at the end.</summary>
    public int SaveEvery { get; init; }

    public long Seed { get; init; } = 1;

    /// <summary>torch threads on the CPU; 0: torch's default.</summary>
    public int Threads { get; init; }

    /// <summary>float32, or bfloat16 for the frozen base with the adapter's weights in float32 (LoRA only).</summary>
    public Runtime.ComputePrecision Precision { get; init; } = Runtime.ComputePrecision.Float32;
}
