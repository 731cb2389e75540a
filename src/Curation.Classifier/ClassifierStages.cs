using Curation.Core.Stages;

namespace Curation.Classifier;

/// <summary>Registers the <c>classifier</c> stage kind.</summary>
public static class ClassifierStages
{
    public static StageRegistry AddClassifierStages(this StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register<ClassifierOptions>(
            "classifier",
            "Scores records with a quality model from 'curate classifier train'; keeps the score in metadata, drops those under the threshold",
            [ClassifierStage.LowScoreRule],
            (options, context) => new ClassifierStage(options, new QualityScorer(Path.GetFullPath(options.Model!, context.BaseDirectory)), context.Name));
    }
}
