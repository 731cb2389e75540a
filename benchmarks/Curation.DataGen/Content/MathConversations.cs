using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Word problems as single exchanges, or with a follow-up question that changes one quantity.</summary>
internal sealed class MathConversations : IConversationSource
{
    private static readonly string[] Prefixes =
    [
        "", "", "", "Solve step by step: ", "Please solve this word problem. ", "Can you help me with my homework? ", "Math question: ",
    ];

    /// <summary>Share of conversations that continue with a follow-up question.</summary>
    public double FollowUpShare { get; init; }

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        MathProblem problem;
        var wantsFollowUp = rng.Chance(FollowUpShare);
        do
        {
            problem = rng.Pick(MathProblems.All)(rng);
        }
        while (wantsFollowUp && problem.FollowUp is null);

        var prefix = rng.Pick(Prefixes);
        var turns = new List<Turn> { Turn.User(prefix + problem.Question), Turn.Assistant(problem.Solution) };
        if (wantsFollowUp)
        {
            turns.Add(Turn.User(problem.FollowUp!.Value.Question));
            turns.Add(Turn.Assistant(problem.FollowUp.Value.Answer));
        }

        return new Conversation { Turns = turns, Category = "math" };
    }
}
