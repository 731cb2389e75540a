using System.Collections.Concurrent;
using Curation.Core;
using Microsoft.ML;

namespace Curation.Classifier;

/// <summary>A saved quality classifier, scoring texts from any number of threads (one prediction engine per caller).</summary>
public sealed class QualityScorer
{
    private readonly MLContext _ml = new();
    private readonly ITransformer _model;
    private readonly ConcurrentBag<PredictionEngine<QualityExample, QualityPrediction>> _engines = [];

    /// <exception cref="CurationException">The file is missing or not a model trained by <c>curate classifier train</c>.</exception>
    public QualityScorer(string modelPath)
    {
        try
        {
            _model = _ml.Model.Load(modelPath, out _);
            _engines.Add(_ml.Model.CreatePredictionEngine<QualityExample, QualityPrediction>(_model));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new CurationException($"{modelPath}: not a quality classifier model (train one with 'curate classifier train'): {ex.Message}", ex);
        }
    }

    /// <summary>Probability, 0 to 1, that the text should be kept.</summary>
    public double Score(string text)
    {
        var engine = _engines.TryTake(out var pooled) ? pooled : _ml.Model.CreatePredictionEngine<QualityExample, QualityPrediction>(_model);
        try
        {
            return engine.Predict(new QualityExample { Text = text }).Probability;
        }
        finally
        {
            _engines.Add(engine);
        }
    }
}
