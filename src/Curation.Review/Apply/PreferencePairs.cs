using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Review.Decisions;
using Curation.Review.Queue;

namespace Curation.Review.Apply;

/// <summary>How many preference pairs a file got, and why the others were left out.</summary>
/// <param name="PromptsDiffer">Pairs whose two records do not share the turns before their answer.</param>
/// <param name="NoAnswer">Pairs where a record has no assistant turn to prefer.</param>
/// <param name="Missing">Pairs about a record that is not in the run.</param>
public sealed record PairCounts(int Written, int PromptsDiffer, int NoAnswer, int Missing);

/// <summary>
/// Turns reviewers' pairwise choices into preference data for DPO: for each preference in the store whose two records
/// are in a run (kept or rejected), one line in TRL's conversational preference format, which DPOTrainer reads as it
/// is: <c>{"prompt": [every turn before the answer], "chosen": [the chosen record's answer], "rejected": [the other
/// record's answer]}</c>, each a list of <c>{role, content}</c>. The two records must share the prompt (same roles and
/// texts), or the pair teaches nothing about the answers: such pairs are left out and counted. Reviewers' corrections
/// are applied first.
/// </summary>
public static class PreferencePairs
{
    /// <exception cref="CurationException">The store holds no preferences, or the file cannot be written.</exception>
    public static async Task<PairCounts> WriteAsync(RunOutput run, DecisionStore store, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(store);
        var preferences = store.Preferences.ToList();
        if (preferences.Count == 0)
        {
            throw new CurationException(
                $"{store.DisplayFolder}: the store holds no preferences: import a review with pairwise answers first (near-duplicate pairs, or another project's with --left-id-field and --right-id-field)");
        }

        var wanted = preferences.SelectMany(p => new[] { p.Chosen, p.Rejected }).ToHashSet(StringComparer.Ordinal);
        var records = new Dictionary<string, ChatRecord>(StringComparer.Ordinal);
        await foreach (var candidate in run.ReadAsync(cancellationToken))
        {
            if (wanted.Contains(candidate.Record.Id))
            {
                records.TryAdd(candidate.Record.Id, candidate.Record);
            }
        }

        int written = 0, promptsDiffer = 0, noAnswer = 0, missing = 0;
        await AtomicFile.WriteAsync(path, async (stream, token) =>
        {
            foreach (var preference in preferences)
            {
                if (!records.TryGetValue(preference.Chosen, out var chosen) || !records.TryGetValue(preference.Rejected, out var rejected))
                {
                    missing++;
                    continue;
                }

                var (prompt, chosenAnswer) = Split(Reviewed(chosen, store));
                var (otherPrompt, rejectedAnswer) = Split(Reviewed(rejected, store));
                if (chosenAnswer is null || rejectedAnswer is null)
                {
                    noAnswer++;
                    continue;
                }

                if (!prompt.Select(m => (m.Role, m.Content)).SequenceEqual(otherPrompt.Select(m => (m.Role, m.Content))))
                {
                    promptsDiffer++;
                    continue;
                }

                var line = DecisionJson.ToLine(writer =>
                {
                    writer.WriteStartObject();
                    DecisionJson.WriteMessages(writer, "prompt", prompt);
                    DecisionJson.WriteMessages(writer, "chosen", [chosenAnswer]);
                    DecisionJson.WriteMessages(writer, "rejected", [rejectedAnswer]);
                    writer.WriteEndObject();
                });
                await stream.WriteAsync(line, token);
                stream.WriteByte((byte)'\n');
                written++;
            }
        }, cancellationToken);
        return new PairCounts(written, promptsDiffer, noAnswer, missing);
    }

    private static ChatRecord Reviewed(ChatRecord record, DecisionStore store) =>
        store.Decisions.TryGetValue(record.Id, out var decision) && decision.Verdict == Verdict.Accept ? ReviewedRecord.Corrected(record, decision) : record;

    // The turns before the last assistant turn, and that turn; no answer when there is none.
    private static (IReadOnlyList<Message> Prompt, Message? Answer) Split(ChatRecord record)
    {
        for (var i = record.Messages.Length - 1; i >= 0; i--)
        {
            if (record.Messages[i].Role == Roles.Assistant)
            {
                return (record.Messages[..i], record.Messages[i]);
            }
        }

        return ([], null);
    }
}
