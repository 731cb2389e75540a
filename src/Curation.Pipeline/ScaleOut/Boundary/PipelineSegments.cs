using Curation.Core.Stages;

namespace Curation.Pipeline.ScaleOut.Boundary;

/// <summary>
/// A run of stages that shard tasks can run independently (record stages), and the stage after it that needs every
/// record (a stream stage: exact-dedup, near-dedup, split, ...), where the shards meet; none after the last run.
/// </summary>
/// <param name="Boundary">The stage that needs every record, or null at the end of the pipeline.</param>
/// <param name="BoundaryKind">Its kind as the pipeline file names it (<c>exact-dedup</c>).</param>
internal sealed record PipelineSegment(IReadOnlyList<PreparedStage> Stages, PreparedStage? Boundary, string? BoundaryKind)
{
    /// <summary>Whether the shards can meet at <see cref="Boundary"/> by exchanging keys: a key-partitioned first-occurrence check.</summary>
    public bool BoundaryIsKeyExchange => Boundary?.Stage is IFirstOccurrenceStage;
}

/// <summary>Cuts a pipeline's stages into <see cref="PipelineSegment"/>s at every stage that needs every record.</summary>
internal static class PipelineSegments
{
    public const string ExactDedupKind = "exact-dedup";

    public static IReadOnlyList<PipelineSegment> Split(PreparedPipeline prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var segments = new List<PipelineSegment>();
        var run = new List<PreparedStage>();
        for (var i = 0; i < prepared.Steps.Count; i++)
        {
            var step = prepared.Steps[i];
            // A stream stage that decides each envelope alone (apply-review), or that only collects what it writes at the
            // end from parts that merge (review-export), runs inside the tasks, as record stages do.
            if (step.Stage is not IStreamStage || step.Stage is IEnvelopeStage || step.Stage is ICollectingStage)
            {
                run.Add(step);
                continue;
            }

            // Steps follow the file's stages; stages the run adds itself (the output format's check) come after them.
            var kind = i < prepared.Definition.Stages.Count ? prepared.Definition.Stages[i].Kind : null;
            segments.Add(new PipelineSegment(run, step, kind));
            run = [];
        }

        segments.Add(new PipelineSegment(run, null, null));
        return segments;
    }
}
