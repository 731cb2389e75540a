using System.Text.Json;
using Curation.Core.Stats;

namespace Curation.Core.Stages;

/// <summary>
/// A stream stage that decides each envelope, kept record or reject, from that envelope alone (and what it read when
/// it was built), so that shard tasks run it each over their own shard, rejects included, where one process runs it
/// over all. What it reports needs every record, so it keeps only figures that add up: it reports them at the end of
/// its run, and the merge of a sharded run adds every task's figures into an instance that has seen nothing and
/// reports once, so the notes are the single process's.
/// </summary>
public interface IEnvelopeStage : IStreamStage
{
    /// <summary>The figures gathered so far, as JSON that <see cref="AddFigures"/> takes back.</summary>
    JsonElement SaveFigures();

    /// <summary>Adds figures that another instance of the same stage saved.</summary>
    /// <exception cref="CurationException">The figures are not this stage's.</exception>
    void AddFigures(JsonElement figures);

    /// <summary>Adds the notes of the figures gathered (or added) so far.</summary>
    void Report(StageCounters counters);
}
