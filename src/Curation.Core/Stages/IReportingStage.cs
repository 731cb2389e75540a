using Curation.Core.Stats;

namespace Curation.Core.Stages;

/// <summary>
/// A per-record stage that gathers figures while it runs (histograms, counts per kind) and reports them once all of
/// its input is done, as notes in the run summary and the manifest.
/// </summary>
public interface IReportingStage : IRecordStage
{
    void Report(StageCounters counters);
}
