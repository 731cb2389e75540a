namespace Curation.Evaluation.Leakage;

/// <summary>A golden item whose text near-duplicates a record of the training index.</summary>
/// <param name="GoldenId">The golden item's id.</param>
/// <param name="TrainingId">The id of the indexed training record.</param>
/// <param name="Jaccard">The exact Jaccard similarity of their shingle sets.</param>
internal sealed record Leak(string GoldenId, string TrainingId, double Jaccard);
