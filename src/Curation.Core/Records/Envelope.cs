namespace Curation.Core.Records;

/// <summary>
/// What travels between stages: a kept record or a reject, numbered in input order. Rejects ride along to the
/// sink so that both output files are written in input order whatever the parallelism.
/// </summary>
public readonly record struct Envelope(long Sequence, ChatRecord? Record, Reject? Reject)
{
    public bool IsKept => Record is not null;

    public static Envelope Kept(long sequence, ChatRecord record) => new(sequence, record, null);

    public static Envelope Rejected(long sequence, Reject reject) => new(sequence, null, reject);
}
