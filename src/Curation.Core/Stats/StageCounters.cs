namespace Curation.Core.Stats;

/// <summary>
/// Counts for one stage. Each count has one writer, so no locks are needed: for a per-record stage, the runtime's
/// in-order consumer of its batch results (its workers report counts and busy time per batch); for a stream stage,
/// the runtime task counting what goes in (input), the one counting what comes out (kept, rejected) and the stage's
/// own task (restored, busy time). The progress timer reads them while they change, so a progress line may be a
/// batch behind. Notes and <see cref="Activity"/> may be set from any thread.
/// </summary>
public sealed class StageCounters
{
    private readonly SortedDictionary<string, long> _rejectsByRule = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];

    public StageCounters(string stage)
    {
        Stage = stage;
    }

    public string Stage { get; }

    private volatile string? _activity;

    /// <summary>
    /// What the stage is doing when that is not passing records along (e.g. clustering after the last record came
    /// in), for progress output; null when there is nothing to say. Set from any thread.
    /// </summary>
    public string? Activity
    {
        get => _activity;
        set => _activity = value;
    }

    public long Input { get; private set; }

    public long Kept { get; private set; }

    public long Rejected { get; private set; }

    public TimeSpan Busy { get; private set; }

    public IReadOnlyDictionary<string, long> RejectsByRule => _rejectsByRule;

    public void AddInput(long count) => Input += count;

    public void AddKept(long count) => Kept += count;

    public void AddRejected(string rule, long count = 1)
    {
        Rejected += count;
        _rejectsByRule[rule] = _rejectsByRule.GetValueOrDefault(rule) + count;
    }

    public void AddBusy(TimeSpan elapsed) => Busy += elapsed;

    /// <summary>
    /// Records an earlier stage rejected that this stage put back into the dataset (a reviewer accepted them). They
    /// count as kept here and stay counted as rejected by the stage that rejected them.
    /// </summary>
    public long Restored { get; private set; }

    public void AddRestored(long count = 1) => Restored += count;

    /// <summary>What a stage reports about how it ran (chosen parameters, index sizes): printed after the run and kept in the manifest.</summary>
    public IReadOnlyList<string> Notes
    {
        get
        {
            lock (_notes)
            {
                return [.. _notes];
            }
        }
    }

    public void AddNote(string note)
    {
        lock (_notes)
        {
            _notes.Add(note);
        }
    }

    /// <summary>The figures behind the notes of a stage whose figures add up across shard tasks (<see cref="Stages.IMergeableReport"/>, <see cref="Stages.IEnvelopeStage"/>).</summary>
    public System.Text.Json.JsonElement? Figures { get; set; }

    /// <summary>True when every record that came in (or was restored) either went on or went to the rejects file.</summary>
    public bool Balances => Input + Restored == Kept + Rejected;
}
