using Microsoft.ML;
using Microsoft.ML.Data;

namespace Curation.Classifier;

/// <summary>The learning algorithm behind a quality classifier.</summary>
public enum ClassifierAlgorithm
{
    /// <summary>Logistic regression by SDCA over text n-gram features: fast, a good first choice.</summary>
    Linear,

    /// <summary>Gradient-boosted trees (FastTree) over the same features: slower, can find non-linear signals.</summary>
    FastTree,
}

/// <summary>One training or scoring row: the record's text and, for training, whether to keep it.</summary>
public sealed class QualityExample
{
    public string Text { get; set; } = string.Empty;

    public bool Label { get; set; }
}

/// <summary>What the model says about one row.</summary>
public sealed class QualityPrediction
{
    [ColumnName("PredictedLabel")]
    public bool Keep { get; set; }

    /// <summary>Calibrated probability that the record should be kept.</summary>
    public float Probability { get; set; }

    public float Score { get; set; }
}

/// <summary>Held-out figures of a trained classifier.</summary>
public sealed record TrainingReport(
    int TrainRows, int TestRows, double Auc, double Precision, double Recall, double F1, double Accuracy, ClassifierAlgorithm Algorithm);

/// <summary>
/// Learns keep/drop from labelled records with ML.NET: the text is featurised (word and character n-grams,
/// normalised), a linear or boosted-tree binary classifier is fitted on one part and measured on the rest, and the
/// model is saved as a .zip that the <c>classifier</c> stage loads. Single-threaded trainers, so a seed gives the
/// same model every time.
/// </summary>
public static class QualityModel
{
    public static TrainingReport Train(
        IReadOnlyList<QualityExample> examples, ClassifierAlgorithm algorithm, double testFraction, int seed, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(examples);
        var split = ml.Data.TrainTestSplit(data, testFraction, seed: seed);
        var features = ml.Transforms.Text.FeaturizeText("Features", nameof(QualityExample.Text));
        var model = algorithm == ClassifierAlgorithm.Linear
            ? features.Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(new Microsoft.ML.Trainers.SdcaLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = nameof(QualityExample.Label),
                NumberOfThreads = 1,
            })).Fit(split.TrainSet) as ITransformer
            : features.Append(ml.BinaryClassification.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options
            {
                LabelColumnName = nameof(QualityExample.Label),
                NumberOfThreads = 1,
                NumberOfTrees = 100,
                NumberOfLeaves = 20,
            })).Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet), nameof(QualityExample.Label));
        Curation.Core.Files.AtomicFile.Write(modelPath, stream => ml.Model.Save(model, data.Schema, stream));
        var testRows = (int)(split.TestSet.GetRowCount() ?? ml.Data.CreateEnumerable<QualityExample>(split.TestSet, reuseRowObject: true).Count());
        return new TrainingReport(
            examples.Count - testRows, testRows, metrics.AreaUnderRocCurve, metrics.PositivePrecision, metrics.PositiveRecall, metrics.F1Score, metrics.Accuracy, algorithm);
    }
}
