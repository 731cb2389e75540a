using Curation.Core;
using Curation.Core.Files;
using Curation.IO.Shards;

namespace Curation.Pipeline.ScaleOut;

/// <summary>Whether a saved plan still describes the pipeline and its inputs, so that its parts may be used and completed.</summary>
internal static class PlanMatch
{
    /// <summary>Why the plan no longer fits, in one line; null when it does.</summary>
    public static string? Mismatch(ShardPlan plan, PreparedPipeline prepared, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(prepared);
        if (plan.Version != ShardPlan.CurrentVersion)
        {
            return $"it was planned by another version of curate (plan version {plan.Version})";
        }

        var settings = new ShardRunSettings(plan.PipelineFile, plan.WorkingDirectory, plan.Tasks, plan.SeedOverride, plan.OutputOverride, plan.FailFast);
        if (ShardPlanner.ConfigHash(prepared, settings, toolVersion) != plan.ConfigSha256)
        {
            return "the pipeline, seed, output folder, working folder or tool version changed";
        }

        var files = prepared.Inputs.SelectMany(input => input.Files).ToList();
        if (files.Count != plan.Files.Count)
        {
            return $"the inputs now resolve to {files.Count} files, the plan has {plan.Files.Count}";
        }

        for (var i = 0; i < files.Count; i++)
        {
            var planned = plan.Files[i];
            if (!string.Equals(files[i], planned.Path, StringComparison.Ordinal))
            {
                return $"input {i + 1} is now {DisplayPath.For(files[i])}, the plan has {DisplayPath.For(planned.Path)}";
            }

            var info = InputFileFacts.Of(planned.Path);
            if (!info.Exists || info.Length != planned.Bytes || info.LastWriteTimeUtc.Ticks != planned.LastWriteTicks)
            {
                return $"input {DisplayPath.For(planned.Path)} changed since it was planned";
            }
        }

        return null;
    }

    /// <exception cref="CurationException">The plan no longer fits: one line saying why and what to do.</exception>
    public static void Check(ShardPlan plan, PreparedPipeline prepared, WorkDirectory work, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Mismatch(plan, prepared, toolVersion) is { } why)
        {
            throw new CurationException(
                $"{DisplayPath.For(work.Path)}: holds parts of a different plan ({why}); remove the folder or choose another --work-dir");
        }
    }
}
