using Curation.Evaluation.Arms;
using Curation.Evaluation.Golden;
using Curation.Evaluation.Metrics;
using Curation.Evaluation.Scoring;

namespace Curation.Evaluation.Runs;

/// <summary>
/// Adds the judge's grades of every arm's answers as the <c>judge</c> metric, and the pairwise verdicts when two arms
/// are named; the judge's calls go through the cache like any arm's.
/// </summary>
internal sealed class JudgeScoring(IEvalArm judge, Rubric rubric, IReadOnlyList<string> pairwise, ScoringOptions scoring)
{
    private readonly CallParameters _parameters = new(256, 0, 1, scoring.Seed);

    public async Task AddAsync(AnsweredRun run, IReadOnlyList<GoldenItem> items, CallScores scores, CancellationToken cancellationToken)
    {
        var metric = new JudgeMetric(EvalHarness.JudgeMetricName, judge, rubric, _parameters);
        foreach (var arm in run.Calls.Select(call => call.Arm).Distinct().ToArray())
        {
            var calls = run.Calls.Where(call => call.Arm == arm).ToArray();
            var grades = await metric.ScoreAsync(calls.Select(call => new JudgedAnswer(items[call.Item], call.Repeat, call.Answer.Text)).ToArray(), cancellationToken);
            for (var i = 0; i < calls.Length; i++)
            {
                scores.Add(calls[i], metric.Name, grades[i].Score, calls[i].Answer.Failed || grades[i].Failed);
            }
        }

        if (pairwise is [var first, var second])
        {
            var firstAnswers = run.Calls.Where(call => call.Arm == first && call.Repeat == 0).ToDictionary(call => call.Item);
            var secondAnswers = run.Calls.Where(call => call.Arm == second && call.Repeat == 0).ToDictionary(call => call.Item);
            var shared = firstAnswers.Keys.Where(secondAnswers.ContainsKey).Order().ToArray();
            var verdicts = await new PairwiseJudge(judge, rubric, _parameters).CompareAsync(
                shared.Select(item => new PairedAnswers(items[item], firstAnswers[item].Answer.Text, secondAnswers[item].Answer.Text)).ToArray(),
                cancellationToken);
            scores.Pairwise.Add(PairwiseSummary.Of(first, second, shared.Select((item, index) => (items[item].Id, verdicts[index].Outcome)), scoring));
        }
    }
}
