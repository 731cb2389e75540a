using Curation.Evaluation.Arms;
using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary>One answer to grade: the item, the repeat it answered, and its text (null when the arm's call failed).</summary>
internal readonly record struct JudgedAnswer(GoldenItem Item, int Repeat, string? Answer);

/// <summary>
/// A judge's grade of one answer. <see cref="Score"/> is the grade on [0, 1], 0 for a failed answer (not sent to the
/// judge); null with <see cref="Error"/> when the judge failed or gave no readable grade, which counts as an error,
/// never as a zero.
/// </summary>
internal sealed record JudgeScore(double? Score, int? Grade, string? Error)
{
    public bool Failed => Error is not null;
}

/// <summary>
/// LLM-as-judge: a judge arm grades each answer by a rubric from 1 to 5 (<see cref="JudgePrompt.Grade"/>), read from
/// its <c>Score: N</c> line and mapped to [0, 1]. Applies to every item; the reference answer is shown when there is one.
/// </summary>
internal sealed class JudgeMetric(string name, IEvalArm judge, Rubric rubric, CallParameters parameters)
{
    /// <summary>The metric's name in reports and gates (<c>judge</c>, <c>judge_helpfulness</c>).</summary>
    public string Name { get; } = name;

    /// <summary>The grade of every answer, in the order given.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before every grade came back.</exception>
    public async Task<IReadOnlyList<JudgeScore>> ScoreAsync(IReadOnlyList<JudgedAnswer> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var scores = new JudgeScore?[answers.Count];
        var calls = new List<ArmCall>();
        for (var i = 0; i < answers.Count; i++)
        {
            if (answers[i].Answer is { } text)
            {
                calls.Add(new ArmCall(i, 0, JudgePrompt.Grade(rubric, answers[i].Item, text), parameters));
            }
            else
            {
                scores[i] = new JudgeScore(0, null, null);
            }
        }

        var replies = await JudgeCalls.AnswerAsync(judge, calls, cancellationToken).ConfigureAwait(false);
        foreach (var call in calls)
        {
            scores[call.Item] = Read(replies[(call.Item, 0)]);
        }

        return scores!;
    }

    private static JudgeScore Read(ArmAnswer reply)
    {
        if (reply.Text is null)
        {
            return new JudgeScore(null, null, $"judge-{reply.Error ?? "failed"}");
        }

        return JudgeVerdicts.Grade(reply.Text) is { } grade
            ? new JudgeScore(JudgeVerdicts.Scale(grade), grade, null)
            : new JudgeScore(null, null, "judge-unparseable");
    }
}

internal static class JudgeCalls
{
    /// <summary>The judge's answer to every call, by (item, repeat) of the call, whatever order they came back in.</summary>
    /// <exception cref="OperationCanceledException">Cancelled before every answer came back.</exception>
    public static async Task<Dictionary<(int Item, int Repeat), ArmAnswer>> AnswerAsync(IEvalArm judge, IReadOnlyList<ArmCall> calls, CancellationToken cancellationToken)
    {
        var replies = new Dictionary<(int, int), ArmAnswer>();
        if (calls.Count == 0)
        {
            return replies;
        }

        await foreach (var answered in judge.AnswerAsync(calls, cancellationToken).ConfigureAwait(false))
        {
            replies[(answered.Call.Item, answered.Call.Repeat)] = answered.Answer;
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var call in calls)
        {
            replies.TryAdd((call.Item, call.Repeat), new ArmAnswer(null, 0, 0, TimeSpan.Zero, 0, "no-answer", judge.Name));
        }

        return replies;
    }
}
