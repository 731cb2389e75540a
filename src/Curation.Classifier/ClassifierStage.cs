using System.Globalization;
using System.Text.Json;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;

namespace Curation.Classifier;

/// <summary>Scores each record with a trained quality classifier, keeps the score in metadata and drops those under the threshold.</summary>
internal sealed class ClassifierStage(ClassifierOptions options, QualityScorer scorer, string name) : IMergeableReport
{
    public const string LowScoreRule = "low-quality-score";

    // Scores in tenths, for choosing a threshold from the report.
    private readonly long[] _deciles = new long[10];

    public string Name { get; } = name;

    public StageResult Apply(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var score = Math.Round(scorer.Score(ClassifierText.Of(record)), 4);
        Interlocked.Increment(ref _deciles[Math.Clamp((int)(score * 10), 0, 9)]);
        if (!options.ScoreOnly && score < options.Threshold)
        {
            return StageResult.Drop(LowScoreRule, string.Create(CultureInfo.InvariantCulture, $"score {score:0.0000} < threshold {options.Threshold}"));
        }

        return StageResult.Keep(record with { Metadata = record.Metadata.SetItem(options.ScoreField, ScoreValues.Of(score)) });
    }

    public void Report(StageCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var bins = Enumerable.Range(0, 10).Select(i => string.Create(CultureInfo.InvariantCulture, $"{i / 10.0:0.0}–{(i + 1) / 10.0:0.0}: {Interlocked.Read(ref _deciles[i])}"));
        counters.AddNote($"scores (probability of keep): {string.Join(", ", bins)}");
    }

    public JsonElement SaveFigures() => ReportFigures.Save(new ScoreFigures([.. _deciles]));

    public void AddFigures(JsonElement figures)
    {
        var added = ReportFigures.Read<ScoreFigures>(figures, Name);
        if (added.Deciles.Count != _deciles.Length)
        {
            throw new Core.CurationException($"stage '{Name}': saved figures hold {added.Deciles.Count} score bins, not {_deciles.Length}");
        }

        for (var i = 0; i < _deciles.Length; i++)
        {
            Interlocked.Add(ref _deciles[i], added.Deciles[i]);
        }
    }
}

/// <summary>What <see cref="ClassifierStage"/> reports, in a form that adds up across shard tasks: records per tenth of the score.</summary>
internal sealed record ScoreFigures(IReadOnlyList<long> Deciles);
