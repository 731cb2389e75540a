using Curation.Core.Files;
using Curation.Review.Decisions;
using Curation.Review.Queue;

namespace Curation.Review.Apply;

/// <summary>How many labelled records a labels file got.</summary>
public sealed record LabelCounts(int Keep, int Drop, int Missing);

/// <summary>
/// Turns reviewers' decisions into training data for the quality classifier: every decided record of a run (kept or
/// rejected) as <c>{id, messages, label}</c> with <c>keep</c> or <c>drop</c>, the corrected text where reviewers
/// corrected it. <c>curate classifier train</c> reads the file as it is.
/// </summary>
public static class ReviewLabels
{
    /// <summary>Writes the file whole or not at all: a run that cannot be read to the end leaves the file as it was.</summary>
    public static async Task<LabelCounts> WriteAsync(RunOutput run, DecisionStore store, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(store);
        var written = new HashSet<string>(StringComparer.Ordinal);
        int keep = 0, drop = 0;
        await AtomicFile.WriteAsync(path, async (stream, token) =>
        {
            await foreach (var candidate in run.ReadAsync(token))
            {
                var record = candidate.Record;
                if (!store.Decisions.TryGetValue(record.Id, out var decision) || !written.Add(record.Id))
                {
                    continue;
                }

                var labelled = decision.Verdict == Verdict.Accept ? ReviewedRecord.Corrected(record, decision) : record;
                var line = DecisionJson.ToLine(writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("id", labelled.Id);
                    DecisionJson.WriteMessages(writer, "messages", labelled.Messages);
                    writer.WriteString("label", decision.Verdict == Verdict.Accept ? "keep" : "drop");
                    writer.WriteEndObject();
                });
                await stream.WriteAsync(line, token);
                stream.WriteByte((byte)'\n');
                if (decision.Verdict == Verdict.Accept)
                {
                    keep++;
                }
                else
                {
                    drop++;
                }
            }
        }, cancellationToken);

        return new LabelCounts(keep, drop, store.Decisions.Count - written.Count);
    }
}
