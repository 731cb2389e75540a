using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Programming help: generated tasks over many record types, plus a bank of hand-written answers.</summary>
internal sealed class CodeHelpConversations : IConversationSource
{
    private delegate (string Question, string Answer) TaskMaker(DeterministicRandom rng, CodeEntity entity, string language);

    private static readonly (TaskMaker Make, string[] Languages)[] Tasks =
    [
        (DataCodeTasks.FilterSort, ["Python", "JavaScript", "C#", "Go"]),
        (DataCodeTasks.GroupSum, ["Python", "JavaScript", "C#", "Go"]),
        (DataCodeTasks.CsvAverage, ["Python", "C#", "Go"]),
        (DataCodeTasks.Chunk, ["Python", "JavaScript", "C#", "Go"]),
        (DataCodeTasks.Dedupe, ["Python", "JavaScript", "C#"]),
        (DataCodeTasks.MovingAverage, ["Python", "JavaScript"]),
        (ServiceCodeTasks.Retry, ["Python", "JavaScript", "C#", "Go"]),
        (ServiceCodeTasks.Pagination, ["Python", "JavaScript"]),
        (ServiceCodeTasks.Timeout, ["Python", "C#", "Go"]),
        (ServiceCodeTasks.Debounce, ["JavaScript"]),
        (ServiceCodeTasks.ConfigDefaults, ["Python", "Go"]),
    ];

    private static readonly string[] SystemPrompts =
    [
        "You are a senior software engineer. Answer with working code and a short explanation.",
        "You are a helpful programming assistant. Prefer standard-library solutions and explain trade-offs briefly.",
        "You are a coding tutor. Explain clearly, show idiomatic code, and point out common mistakes.",
        "You are an expert developer who writes production-quality code with error handling.",
    ];

    private readonly List<(TaskMaker Make, string Language, CodeEntity Entity)> _combos = [];
    private readonly Queue<(string Question, string Answer)> _knowledge = new();
    private int _nextCombo;

    /// <param name="rng">Orders the combinations and the hand-written bank so each is used once before any repeats.</param>
    /// <param name="useKnowledgeBank">Whether to hand out the hand-written answers (each once).</param>
    public CodeHelpConversations(DeterministicRandom rng, bool useKnowledgeBank)
    {
        ArgumentNullException.ThrowIfNull(rng);
        foreach (var (make, languages) in Tasks)
        {
            foreach (var language in languages)
            {
                foreach (var entity in CodeEntity.All)
                {
                    _combos.Add((make, language, entity));
                }
            }
        }

        rng.Shuffle(_combos);
        if (useKnowledgeBank)
        {
            var bank = CodeKnowledge.Entries.ToList();
            rng.Shuffle(bank);
            foreach (var entry in bank)
            {
                _knowledge.Enqueue(entry);
            }
        }
    }

    /// <summary>Chance that a record comes from the hand-written bank while it lasts.</summary>
    public double KnowledgeShare { get; init; } = 0.12;

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var system = rng.Chance(0.35) ? rng.Pick(SystemPrompts) : null;
        if (_knowledge.Count > 0 && rng.Chance(KnowledgeShare))
        {
            var (question, answer) = _knowledge.Dequeue();
            return new Conversation { System = system, Turns = [Turn.User(question), Turn.Assistant(answer)], Category = "concepts" };
        }

        var (make, language, entity) = _combos[_nextCombo++ % _combos.Count];
        var (q, a) = make(rng, entity, language);
        return new Conversation { System = system, Turns = [Turn.User(q), Turn.Assistant(a)], Category = language.ToLowerInvariant() };
    }
}
