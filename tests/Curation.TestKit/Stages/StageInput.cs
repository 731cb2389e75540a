using Curation.Core.Records;

namespace Curation.TestKit.Stages;

/// <summary>
/// One item of a stage's input in a contract run: a record, a line the read step could not parse, or a record an
/// earlier stage rejected. The two kinds of rejects ride along to the writers past the stage under test.
/// </summary>
public sealed record StageInput
{
    private StageInput(ChatRecord? record, Reject? unreadable, bool rejectedBefore)
    {
        Record = record;
        Unreadable = unreadable;
        IsRejectedBefore = rejectedBefore;
    }

    public ChatRecord? Record { get; }

    /// <summary>The read step's reject of an unparseable line; null for a record.</summary>
    public Reject? Unreadable { get; }

    /// <summary>Whether the record is rejected by <see cref="EarlierStage"/> before it reaches the stage under test.</summary>
    public bool IsRejectedBefore { get; }

    public static StageInput Kept(ChatRecord record) => new(record, null, rejectedBefore: false);

    public static StageInput UnreadableLine(string rawText, string detail) =>
        new(null, new Reject(Core.Runtime.PipelineRunner.ReadStageName, "malformed-json", detail, default) { RawText = rawText }, rejectedBefore: false);

    public static StageInput RejectedBefore(ChatRecord record) => new(record, null, rejectedBefore: true);
}
