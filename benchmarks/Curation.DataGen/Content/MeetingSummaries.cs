using System.Globalization;
using System.Text;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Content;

/// <summary>Summarisation: informal meeting notes in the input, a structured summary as the answer.</summary>
internal sealed class MeetingSummaries : IConversationSource
{
    private static readonly string[] Instructions =
    [
        "Summarize the following meeting notes.",
        "Write a short summary of these meeting notes, listing the decisions and action items.",
        "TL;DR these notes for the people who missed the meeting.",
        "Turn these raw notes into a clean summary I can paste into Slack.",
        "Summarise the meeting below in a few sentences, then list who has to do what.",
        "Please condense these notes. Keep decisions, owners and deadlines.",
    ];

    private static readonly string[] Asides =
    [
        "- (coffee machine on 3rd floor still broken)",
        "- ran out of time for the metrics review, next week",
        "- reminder: expense reports due end of month",
        "- {0} out next week",
        "- someone pls book a bigger room next time",
        "- recording in the team drive",
    ];

    private static readonly string[] SystemPrompts =
    [
        "You summarise internal meeting notes for busy colleagues. Be factual and keep every owner and deadline.",
        "You are an assistant that turns messy notes into clear summaries with decisions and action items.",
    ];

    /// <summary>Share of conversations that carry a system prompt.</summary>
    public double SystemPromptShare { get; init; }

    public Conversation Next(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var system = rng.Chance(SystemPromptShare) ? rng.Pick(SystemPrompts) : null;
        var team = rng.Pick(Vocabulary.Teams);
        var date = Fmt.WorkDay(rng.Between(0, 700));
        var people = rng.PickDistinct(Vocabulary.FirstNames, rng.Between(3, 6));
        var topics = rng.PickDistinct(MeetingTopic.All, rng.Between(3, 5));
        var owners = topics.Select(_ => rng.Pick(people)).ToList();
        var dues = topics.Select(_ => date.AddDays(rng.Between(2, 21))).ToList();

        var notes = new StringBuilder();
        notes.Append(CultureInfo.InvariantCulture, $"{team} sync {Fmt.Iso(date)}\n");
        notes.Append(CultureInfo.InvariantCulture, $"attendees: {string.Join(", ", people)}\n\n");
        for (var i = 0; i < topics.Count; i++)
        {
            notes.Append("- ").Append(string.Format(CultureInfo.InvariantCulture, topics[i].Note, owners[i])).Append('\n');
            if (rng.Chance(0.6))
            {
                notes.Append(CultureInfo.InvariantCulture, $"  -> AI {owners[i]}, by {Fmt.Short(dues[i])}\n");
            }
        }

        if (rng.Chance(0.5))
        {
            notes.Append(string.Format(CultureInfo.InvariantCulture, rng.Pick(Asides), rng.Pick(people))).Append('\n');
        }

        var summary = new StringBuilder();
        summary.Append(CultureInfo.InvariantCulture, $"The {team} team met on {Fmt.Long(date)} ({string.Join(", ", people)}). ");
        summary.Append(CultureInfo.InvariantCulture, $"They covered {Fmt.JoinAnd(topics.Select(t => t.Subject).ToList())}.\n\n");
        summary.Append("**Decisions**\n");
        foreach (var topic in topics)
        {
            summary.Append("- ").Append(topic.Decision).Append('\n');
        }

        summary.Append("\n**Action items**\n");
        for (var i = 0; i < topics.Count; i++)
        {
            summary.Append(CultureInfo.InvariantCulture, $"- {owners[i]}: {topics[i].Action} (due {Fmt.Short(dues[i])})\n");
        }

        return new Conversation
        {
            System = system,
            Turns = [Turn.User(rng.Pick(Instructions)), Turn.Assistant(summary.ToString().TrimEnd())],
            Input = notes.ToString().TrimEnd(),
            Category = "summarization",
        };
    }
}
