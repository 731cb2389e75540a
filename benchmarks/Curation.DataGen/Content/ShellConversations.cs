using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Linux administration chats: a concrete problem or a how-to, then related follow-up questions.</summary>
internal sealed class ShellConversations : IConversationSource
{
    private static readonly string[] SystemPrompts =
    [
        "You are an experienced Linux system administrator. Give precise commands and explain what they do.",
        "You are a helpful DevOps assistant. Prefer safe, reversible commands and warn before destructive ones.",
        "You help developers manage Debian and Ubuntu servers. Be concise.",
    ];

    private static readonly string[] FollowUpLeads =
    [
        "", "", "", "Thanks, that fixed it. ", "Got it. ", "Perfect. Another one: ", "OK, makes sense. ", "Thanks! Related question: ",
        "That worked. ", "Cool. ",
    ];

    private readonly Queue<(ShellFact Fact, int Question)> _facts = new();
    private readonly DeterministicRandom _order;

    public ShellConversations(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _order = rng;
        Refill();
    }

    public double SystemPromptShare { get; init; } = 0.3;

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var turns = new List<Turn>();
        var used = new HashSet<ShellFact>();
        string area;
        if (rng.Chance(0.5))
        {
            var (scenarioArea, question, answer) = rng.Pick(ShellTroubleshooting.All)(rng);
            area = scenarioArea;
            turns.Add(Turn.User(question));
            turns.Add(Turn.Assistant(answer));
        }
        else
        {
            var (fact, q) = TakeFact(used);
            area = fact.Area;
            turns.Add(Turn.User(fact.Questions[q]));
            turns.Add(Turn.Assistant(fact.Answer));
        }

        var followUps = rng.PickOne(0, 1, 1, 2, 2, 3);
        for (var i = 0; i < followUps; i++)
        {
            var (fact, q) = TakeFact(used);
            var question = fact.Questions[q];
            var lead = rng.Pick(FollowUpLeads);
            turns.Add(Turn.User(lead.Length == 0 ? question : lead + Fmt.LowerFirst(question)));
            turns.Add(Turn.Assistant(fact.Answer));
        }

        var system = rng.Chance(SystemPromptShare) ? rng.Pick(SystemPrompts) : null;
        return new Conversation { System = system, Turns = turns, Category = area };
    }

    /// <summary>The next fact not yet in this conversation; skipped facts go to the back of the queue.</summary>
    private (ShellFact Fact, int Question) TakeFact(HashSet<ShellFact> used)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (_facts.Count == 0)
            {
                Refill();
            }

            var next = _facts.Dequeue();
            if (used.Add(next.Fact) || attempt > ShellFacts.All.Length)
            {
                return next;
            }

            _facts.Enqueue(next);
        }
    }

    private void Refill()
    {
        var all = new List<(ShellFact, int)>();
        foreach (var fact in ShellFacts.All)
        {
            for (var q = 0; q < fact.Questions.Length; q++)
            {
                all.Add((fact, q));
            }
        }

        _order.Shuffle(all);
        foreach (var item in all)
        {
            _facts.Enqueue(item);
        }
    }
}
