using Curation.Core.Records;

namespace Curation.Core.Stages;

/// <summary>
/// A pure, synchronous, per-record stage. The runtime runs it on several workers and keeps input order, so
/// implementations must be thread-safe and must not depend on other records.
/// </summary>
public interface IRecordStage : IStage
{
    StageResult Apply(ChatRecord record);
}
