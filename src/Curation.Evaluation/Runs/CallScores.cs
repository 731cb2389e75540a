using Curation.Evaluation.Scoring;

namespace Curation.Evaluation.Runs;

/// <summary>Every metric's score of every call: the flat rows the scoreboard reads, and each call's scores for the reports.</summary>
internal sealed class CallScores(List<string> metricNames)
{
    private readonly Dictionary<(string Arm, int Item, int Repeat), Dictionary<string, double>> _byCall = [];

    public List<ScoredRow> Rows { get; } = [];

    /// <summary>Metrics in the order they were configured, the judge's last.</summary>
    public IReadOnlyList<string> MetricNames => metricNames;

    public List<PairwiseSummary> Pairwise { get; } = [];

    public void Add(RunCall call, string metric, double? score, bool failed)
    {
        Rows.Add(new ScoredRow(call.Arm, call.ItemId, call.Repeat, metric, score, failed));
        if (!metricNames.Contains(metric))
        {
            metricNames.Add(metric);
        }

        if (score is { } value)
        {
            var key = (call.Arm, call.Item, call.Repeat);
            if (!_byCall.TryGetValue(key, out var scores))
            {
                _byCall[key] = scores = new Dictionary<string, double>(StringComparer.Ordinal);
            }

            scores[metric] = value;
        }
    }

    public IReadOnlyDictionary<string, double> Of(RunCall call) =>
        _byCall.TryGetValue((call.Arm, call.Item, call.Repeat), out var scores) ? scores : new Dictionary<string, double>();
}
