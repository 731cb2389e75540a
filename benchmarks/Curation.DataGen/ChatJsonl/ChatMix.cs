using Curation.DataGen.Content;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.ChatJsonl;

/// <summary>The blend of example kinds in the benchmark file, with fresh generator state per chunk.</summary>
internal sealed class ChatMix
{
    private readonly (IConversationSource Source, int Weight)[] _sources;
    private readonly int _totalWeight;

    public ChatMix(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _sources =
        [
            (new SupportConversations(), 25),
            (new CodeHelpConversations(rng, useKnowledgeBank: false), 15),
            (new SqlConversations(), 12),
            (new MathConversations { FollowUpShare = 0.3 }, 12),
            (new ShellConversations(rng), 10),
            (new MeetingSummaries(), 6),
            (new IncidentSummaries(), 5),
            (new EmailWriting(), 5),
            (new SpreadsheetHelp(), 5),
            (new PandasHelp(), 5),
        ];
        _totalWeight = _sources.Sum(s => s.Weight);
    }

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var pick = rng.Next(_totalWeight);
        foreach (var (source, weight) in _sources)
        {
            if (pick < weight)
            {
                return source.Next(rng);
            }

            pick -= weight;
        }

        throw new InvalidOperationException("Unreachable: weights cover the whole range.");
    }
}
