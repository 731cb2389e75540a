using System.Globalization;
using System.Text.Json;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Classifier;

/// <summary>Scores each record with a trained quality classifier, keeps the score in metadata and drops those under the threshold.</summary>
public sealed class ClassifierStage(ClassifierOptions options, QualityScorer scorer, string name) : IRecordStage
{
    public const string LowScoreRule = "low-quality-score";

    public string Name { get; } = name;

    public StageResult Apply(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var score = Math.Round(scorer.Score(ClassifierText.Of(record)), 4);
        if (!options.ScoreOnly && score < options.Threshold)
        {
            return StageResult.Drop(LowScoreRule, string.Create(CultureInfo.InvariantCulture, $"score {score:0.0000} < threshold {options.Threshold}"));
        }

        return StageResult.Keep(record with { Metadata = record.Metadata.SetItem(options.ScoreField, JsonSerializer.SerializeToElement(score)) });
    }
}
