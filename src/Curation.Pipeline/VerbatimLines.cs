using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Pipeline;

/// <summary>
/// Whether a run's records should keep their input lines (<see cref="Core.Records.ChatRecord.Verbatim"/>): only when
/// the writer can copy them (OpenAI JSON Lines with ids) and the records reaching it can still be the ones decoded,
/// that is no stage passes on copies it stored (a spill file), which would leave every kept line unused.
/// </summary>
internal static class VerbatimLines
{
    public static bool WorthKeeping(OutputOptions output, IEnumerable<IStage> stages)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(stages);
        return output.Format == OutputFormat.OpenAi
            && output.IncludeId
            && !stages.Any(stage => stage is IStreamStage { PassesOnStoredCopies: true });
    }
}
