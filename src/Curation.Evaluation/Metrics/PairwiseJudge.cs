using Curation.Evaluation.Arms;
using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary>Two arms' answers to one item (null where that arm's call failed).</summary>
internal readonly record struct PairedAnswers(GoldenItem Item, string? First, string? Second);

internal enum PairwiseOutcome
{
    FirstWins,
    SecondWins,
    Tie,

    /// <summary>The judge failed or named no winner in at least one of the two orders.</summary>
    Error,
}

/// <summary>
/// The judge's comparison of one pair: the outcome, and the winner it named in each order ("A", "B", "tie"; null when
/// unreadable or not asked) with the first arm's answer shown as A, then as B.
/// </summary>
internal sealed record PairwiseVerdict(PairwiseOutcome Outcome, string? FirstShownFirst, string? FirstShownSecond, string? Error);

/// <summary>
/// Pairwise LLM-as-judge with position swap (Zheng et al. 2023, "Judging LLM-as-a-Judge"): each pair is asked twice,
/// the first arm's answer shown as A and then as B. An arm wins only when it wins both orders; any disagreement, or a
/// tie in either, is a tie. A failed answer loses to a real one without asking the judge; two failed answers tie.
/// </summary>
internal sealed class PairwiseJudge(IEvalArm judge, Rubric rubric, CallParameters parameters)
{
    /// <summary>The verdict of every pair, in the order given.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before every verdict came back.</exception>
    public async Task<IReadOnlyList<PairwiseVerdict>> CompareAsync(IReadOnlyList<PairedAnswers> pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var verdicts = new PairwiseVerdict?[pairs.Count];
        var calls = new List<ArmCall>();
        for (var i = 0; i < pairs.Count; i++)
        {
            var (item, first, second) = pairs[i];
            if (first is null || second is null)
            {
                var outcome = first is null && second is null ? PairwiseOutcome.Tie
                    : first is null ? PairwiseOutcome.SecondWins : PairwiseOutcome.FirstWins;
                verdicts[i] = new PairwiseVerdict(outcome, null, null, null);
                continue;
            }

            calls.Add(new ArmCall(i, 0, JudgePrompt.Compare(rubric, item, first, second), parameters));
            calls.Add(new ArmCall(i, 1, JudgePrompt.Compare(rubric, item, second, first), parameters));
        }

        var replies = await JudgeCalls.AnswerAsync(judge, calls, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < pairs.Count; i++)
        {
            verdicts[i] ??= Decide(replies[(i, 0)], replies[(i, 1)]);
        }

        return verdicts!;
    }

    private static PairwiseVerdict Decide(ArmAnswer firstShownFirst, ArmAnswer firstShownSecond)
    {
        var straight = firstShownFirst.Text is { } a ? JudgeVerdicts.Winner(a) : null;
        var swapped = firstShownSecond.Text is { } b ? JudgeVerdicts.Winner(b) : null;
        if (straight is null || swapped is null)
        {
            var failed = straight is null ? firstShownFirst : firstShownSecond;
            var error = failed.Text is null ? $"judge-{failed.Error ?? "failed"}" : "judge-unparseable";
            return new PairwiseVerdict(PairwiseOutcome.Error, straight, swapped, error);
        }

        var outcome = (straight, swapped) switch
        {
            ("A", "B") => PairwiseOutcome.FirstWins,
            ("B", "A") => PairwiseOutcome.SecondWins,
            _ => PairwiseOutcome.Tie,
        };
        return new PairwiseVerdict(outcome, straight, swapped, null);
    }
}
