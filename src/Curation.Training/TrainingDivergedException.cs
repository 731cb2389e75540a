using System.Globalization;
using Curation.Core;

namespace Curation.Training;

/// <summary>
/// Training stopped because a value it depends on became NaN or infinite (the loss, the gradient norm, the validation
/// loss, or the weights about to be saved), or the gradient norm fell to exactly 0 with a loss left, which is how a
/// float32 overflow inside the model shows. Nothing was written from that state; <see cref="LastCheckpoint"/> is the
/// newest checkpoint still trusted (null when there is none).
/// </summary>
public sealed class TrainingDivergedException : CurationException
{
    public const string Loss = "loss";
    public const string GradientNorm = "gradient norm";
    public const string ValidationLoss = "validation loss";
    public const string Weights = "weights";

    public TrainingDivergedException(int step, string quantity, double value, string? lastCheckpoint)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"training diverged at step {step}: {ReasonFor(step, quantity, value)}; {(lastCheckpoint is null ? "no checkpoint saved before it is trusted" : $"the last good checkpoint is {lastCheckpoint}")}"))
    {
        Step = step;
        Quantity = quantity;
        Value = value;
        LastCheckpoint = lastCheckpoint;
    }

    public TrainingDivergedException()
    {
        Quantity = string.Empty;
    }

    public TrainingDivergedException(string message)
        : base(message)
    {
        Quantity = string.Empty;
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Quantity = string.Empty;
    }

    /// <summary>The optimizer step (1-based) that produced the value; 0 for the validation before training.</summary>
    public int Step { get; }

    /// <summary>What became non-finite: <see cref="Loss"/>, <see cref="GradientNorm"/>, <see cref="ValidationLoss"/> or <see cref="Weights"/>.</summary>
    public string Quantity { get; }

    public double Value { get; }

    public string? LastCheckpoint { get; }

    /// <summary>What was non-finite, in words: "the loss is NaN".</summary>
    public string Reason => ReasonFor(Step, Quantity, Value);

    private static string ReasonFor(int step, string quantity, double value) => quantity switch
    {
        Weights => "the trained weights hold NaN or infinite values",
        GradientNorm when value == 0 => "the gradient norm is 0: activations overflowed and the model's output went flat",
        _ when step == 0 => $"the {quantity} is {Describe(value)} before any training (a damaged model?)",
        _ => $"the {quantity} is {Describe(value)}",
    };

    /// <summary>NaN, +inf or -inf as a person reads it (other values as they are).</summary>
    public static string Describe(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString("R", CultureInfo.InvariantCulture);
}
