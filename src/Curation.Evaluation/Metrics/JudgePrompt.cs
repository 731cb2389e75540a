using System.Text;
using Curation.Core.Records;
using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary>The conversations put to a judge arm: the rubric, the question, the reference when the item has one, and the answers.</summary>
internal static class JudgePrompt
{
    private const string GraderRole =
        "You are an impartial grader. You judge answers strictly by the rubric you are given, not by their length or style, "
        + "and you end your reply with the verdict line in exactly the format asked for.";

    /// <summary>The conversation asking for a 1 to 5 grade of one answer.</summary>
    public static IReadOnlyList<Message> Grade(Rubric rubric, GoldenItem item, string answer)
    {
        var user = Context(rubric, item)
            .Append("# Answer to grade\n\n").Append(answer).Append("\n\n")
            .Append("Grade the answer by the rubric on a scale from 1 (worst) to 5 (best). Give a short justification, ")
            .Append("then end with one line of the form\n\nScore: N\n\nwhere N is 1, 2, 3, 4 or 5.")
            .ToString();
        return [new Message("system", GraderRole), new Message("user", user)];
    }

    /// <summary>The conversation asking which of two answers, shown as A and B, is better.</summary>
    public static IReadOnlyList<Message> Compare(Rubric rubric, GoldenItem item, string answerA, string answerB)
    {
        var user = Context(rubric, item)
            .Append("# Answer A\n\n").Append(answerA).Append("\n\n")
            .Append("# Answer B\n\n").Append(answerB).Append("\n\n")
            .Append("Compare the two answers by the rubric. Give a short justification, then end with one line of the form\n\n")
            .Append("Winner: A\n\nor Winner: B, or Winner: tie when neither is better.")
            .ToString();
        return [new Message("system", GraderRole), new Message("user", user)];
    }

    private static StringBuilder Context(Rubric rubric, GoldenItem item)
    {
        var builder = new StringBuilder()
            .Append("# Rubric\n\n").Append(rubric.Text).Append("\n\n")
            .Append("# Question\n\n").Append(Conversation(item.Prompt)).Append("\n\n");
        if (item.Expected is not null)
        {
            builder.Append("# Reference answer\n\n").Append(item.Expected).Append("\n\n");
        }

        return builder;
    }

    // A lone user turn is the question itself; a longer conversation keeps its roles.
    private static string Conversation(IReadOnlyList<Message> prompt) =>
        prompt is [{ Role: "user" } only]
            ? only.Content
            : string.Join("\n\n", prompt.Select(m => $"[{m.Role}]\n{m.Content}"));
}
