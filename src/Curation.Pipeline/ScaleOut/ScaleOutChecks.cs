using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Pipeline.ScaleOut;

/// <summary>What a sharded run cannot do yet, refused before any work, each in one line.</summary>
internal static class ScaleOutChecks
{
    /// <exception cref="CurationException">A stage needs every record (with more than one task), a stage writes files of its own, or the output is compressed or Parquet.</exception>
    public static void Check(PreparedPipeline prepared, int tasks)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        foreach (var step in prepared.Steps)
        {
            if (step.Stage is IStreamStage && tasks > 1)
            {
                throw new CurationException($"stage '{step.Stage.Name}' needs every record: not yet supported with --tasks; run it without --tasks");
            }

            if (step.Stage is IStageFiles files && files.Writes.Any())
            {
                throw new CurationException($"stage '{step.Stage.Name}' writes files of its own: not yet supported with --tasks; run it without --tasks");
            }
        }

        var output = prepared.Definition.Output;
        if (output.Format == OutputFormat.Parquet)
        {
            throw new CurationException("output format parquet: not yet supported with --tasks (parts are JSON Lines); run it without --tasks");
        }

        if (output.Compression != OutputCompression.None)
        {
            throw new CurationException("compressed output: not yet supported with --tasks; set compression: none or run it without --tasks");
        }
    }
}
