using System.ComponentModel.DataAnnotations;

namespace Curation.Classifier;

/// <summary>Options of the <c>classifier</c> stage.</summary>
public sealed class ClassifierOptions
{
    /// <summary>Model file from <c>curate classifier train</c>, relative to the pipeline file.</summary>
    [Required]
    public string? Model { get; init; }

    /// <summary>Records scoring below this probability of "keep" are dropped.</summary>
    [Range(0.0, 1.0)]
    public double Threshold { get; init; } = 0.5;

    /// <summary>Metadata field the score is written to on kept records.</summary>
    public string ScoreField { get; init; } = "quality_score";

    /// <summary>Only write the score; drop nothing (to review scores before choosing a threshold).</summary>
    public bool ScoreOnly { get; init; }
}
