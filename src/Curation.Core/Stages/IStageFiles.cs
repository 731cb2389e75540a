using Curation.Core.Files;

namespace Curation.Core.Stages;

/// <summary>
/// A stage that writes files besides the data and rejects (clusters, an index, a review export) or reads files
/// besides the inputs (a model, an index, a review store) names them when it is built, so that a run checks every
/// path against every other before any work (<see cref="OutputPlan"/>). At run time it writes them only through
/// <see cref="StageContext.Outputs"/>.
/// </summary>
public interface IStageFiles
{
    IEnumerable<PlannedOutput> Writes { get; }

    IEnumerable<PlannedRead> Reads { get; }
}
