using Curation.Core;
using Curation.Core.Stages;

namespace Curation.Pipeline.ScaleOut;

/// <summary>What a sharded run cannot do yet, refused before any work, each in one line.</summary>
internal static class ScaleOutChecks
{
    /// <exception cref="CurationException">A stage of the shard tasks writes files of its own, or a stage that needs every record writes a folder.</exception>
    public static void Check(PreparedPipeline prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        foreach (var step in prepared.Steps)
        {
            // A stage that needs every record runs in one gather step, so its files are written once; a folder is not yet
            // carried over to the merge, except a collecting stage's (review-export), which the merge writes itself.
            if (step.Stage is IStreamStage && step.Stage is not ICollectingStage && step.Stage is IStageFiles gathered && gathered.Writes.Any(output => output.IsFolder))
            {
                throw new CurationException($"stage '{step.Stage.Name}' writes a folder of its own: not yet supported with --tasks; run it without --tasks");
            }

            if (step.Stage is not IStreamStage && step.Stage is IStageFiles files && files.Writes.Any())
            {
                throw new CurationException($"stage '{step.Stage.Name}' writes files of its own: not yet supported with --tasks; run it without --tasks");
            }
        }
    }
}
