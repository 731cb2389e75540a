using Curation.Core.Records;

namespace Curation.Core.Stages;

/// <summary>
/// A stream stage that keeps the first record of each key in input order and rejects every later one (exact dedup).
/// Its decisions depend only on each record's key and the order, so a sharded run resolves them by exchanging keys
/// across shards, partitioned by hash, instead of gathering every record in one process.
/// </summary>
public interface IFirstOccurrenceStage : IStreamStage
{
    /// <summary>The record's key; null when it has nothing under the key and so duplicates nothing.</summary>
    UInt128? KeyOf(ChatRecord record);

    /// <summary>How a later record's reject names this one, when it is the first of its key.</summary>
    string LabelOf(ChatRecord record);

    /// <summary>The reject of <paramref name="record"/>, a later occurrence of the key first seen as <paramref name="firstLabel"/>.</summary>
    Reject LaterOccurrence(ChatRecord record, string firstLabel);
}
