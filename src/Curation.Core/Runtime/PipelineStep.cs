using Curation.Core.Stages;

namespace Curation.Core.Runtime;

/// <summary>
/// A stage with its number of workers: a per-record stage maps batches on that many; a stream stage runs as one task
/// and gets the number as <see cref="StageContext.Workers"/> for its own parallel work (near-dedup signs on them).
/// </summary>
public sealed record PipelineStep(IStage Stage, int Parallelism);
