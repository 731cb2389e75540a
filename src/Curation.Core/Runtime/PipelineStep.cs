using Curation.Core.Stages;

namespace Curation.Core.Runtime;

/// <summary>A stage with the number of workers it runs on (per-record stages only; stream stages run on one).</summary>
public sealed record PipelineStep(IStage Stage, int Parallelism);
