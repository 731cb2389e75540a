using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Manifest;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.IO.Inputs;
using Curation.IO.Writers;

namespace Curation.Pipeline;

/// <summary>
/// The checks of what a run will write: the <c>output:</c> settings among themselves, and every planned output
/// against the inputs, the files stages read, and each other (by real path), before any work.
/// </summary>
internal static class OutputChecks
{
    /// <summary>The <c>output:</c> settings that contradict each other or a stage's name.</summary>
    /// <returns>Whether the files these settings name can be planned (the rejects file is not the data file).</returns>
    public static bool CheckSettings(PipelineDefinition definition, ConfigProblems problems)
    {
        var output = definition.Output;
        var plannable = true;
        if (string.IsNullOrWhiteSpace(output.Rejects)
            || Path.GetFullPath(output.Rejects, "/out") == Path.GetFullPath(RecordWriterFactory.DataFileName(output), "/out"))
        {
            problems.At("output.rejects", $"output: parameter 'rejects': expected a file name other than the data file's, got '{output.Rejects}'");
            plannable = false;
        }

        if (output.Format == OutputFormat.Parquet && output.Compression != OutputCompression.None)
        {
            problems.At(
                "output.compression",
                "output: parameter 'compression': applies to JSONL output only; parquet files are compressed inside (snappy), so remove it or set 'none'");
        }

        if (OutputFormatStage.IsNeededFor(output.Format) && definition.Stages.FirstOrDefault(stage => stage.Name == OutputFormatStage.StageName) is { } clash)
        {
            problems.At(
                clash.Position,
                $"stage name '{OutputFormatStage.StageName}' is reserved for the check that {ConfigNames.ForEnumValue(output.Format)} output adds; choose another 'name:'");
        }

        return plannable;
    }

    /// <summary>Every file and folder the run will write: data, rejects, the stages' own files, and the manifest last.</summary>
    /// <param name="overridden">Whether the output folder came from the command line rather than <c>output.dir</c>.</param>
    public static List<PlannedOutput> Plan(PipelineDefinition definition, IReadOnlyList<PreparedStage> stages, string outputDirectory, bool overridden)
    {
        var dirSetting = overridden ? "--output" : "output.dir";
        var dirKey = overridden ? null : "output.dir";
        var outputs = new List<PlannedOutput>
        {
            new(RecordWriterFactory.DataPath(definition.Output, outputDirectory), OutputFileRoles.Data, $"{dirSetting} (data file)", ConfigKey: dirKey),
            new(
                RecordWriterFactory.RejectsPath(definition.Output, outputDirectory),
                OutputFileRoles.Rejects,
                "output.rejects",
                ConfigKey: definition.Locations.ContainsKey("output.rejects") ? "output.rejects" : dirKey),
        };
        outputs.AddRange(stages.Select(step => step.Stage).OfType<IStageFiles>().SelectMany(stage => stage.Writes));
        outputs.Add(new PlannedOutput(Path.Combine(outputDirectory, ManifestWriter.FileName), ManifestWriter.Role, $"{dirSetting} (manifest)", ConfigKey: dirKey));
        return outputs;
    }

    /// <summary>An output folder that holds an input file: a run would overwrite what it reads.</summary>
    /// <returns>Whether it does (the planned files inside it then need no separate report).</returns>
    public static bool CheckFolderAgainstInputs(IReadOnlyList<ResolvedInput> inputs, string outputDirectory, bool overridden, ConfigProblems problems)
    {
        var folder = RealPath.Of(outputDirectory);
        foreach (var input in inputs)
        {
            if (input.Files.FirstOrDefault(file => RealPath.IsInside(RealPath.Of(file), folder)) is { } inside)
            {
                problems.At(
                    overridden ? null : "output.dir",
                    $"{(overridden ? "--output" : "output.dir")}: the output folder {DisplayPath.For(outputDirectory)} holds {DisplayPath.For(inside)}, which inputs[{input.Entry}] reads; a run would overwrite what it reads. Write the output elsewhere");
                return true;
            }
        }

        return false;
    }

    /// <summary>Outputs that are inputs, lie inside a folder the run reads, or are another output.</summary>
    /// <param name="optionNames">For a pipeline a command wrote from its options: each setting's option name, so that errors name what the user typed.</param>
    public static void CheckPlan(
        PipelineDefinition definition, IReadOnlyList<PlannedOutput> outputs, IReadOnlyList<ResolvedInput> inputs, IReadOnlyList<PreparedStage> stages, IReadOnlyDictionary<string, string>? optionNames, ConfigProblems problems)
    {
        var reads = PlanReads(definition, inputs, stages);
        if (optionNames is not null)
        {
            outputs = [.. outputs.Select(output => output with { Setting = OptionNames.Rename(output.Setting, optionNames), ConfigKey = null })];
            reads = [.. reads.Select(read => read with { Setting = OptionNames.Rename(read.Setting, optionNames) })];
        }

        foreach (var conflict in OutputPlan.FindConflicts(outputs, reads))
        {
            problems.At(conflict.Output.ConfigKey, conflict.Problem);
        }
    }

    /// <summary>Everything the run reads: the pipeline file, each input file, the folders and glob roots it walks, and the stages' own files.</summary>
    private static List<PlannedRead> PlanReads(PipelineDefinition definition, IReadOnlyList<ResolvedInput> inputs, IReadOnlyList<PreparedStage> stages)
    {
        var reads = new List<PlannedRead>();
        if (File.Exists(definition.File))
        {
            reads.Add(new PlannedRead(Path.GetFullPath(definition.File), "the pipeline file"));
        }

        foreach (var input in inputs)
        {
            var setting = $"inputs[{input.Entry}]";
            if (InputFolderOf(input.Options.Path, definition.BaseDirectory) is { } folder)
            {
                reads.Add(new PlannedRead(folder, setting, IsFolder: true));
            }

            reads.AddRange(input.Files.Select(file => new PlannedRead(file, setting)));
        }

        reads.AddRange(stages.Select(step => step.Stage).OfType<IStageFiles>().SelectMany(stage => stage.Reads));
        return reads;
    }

    /// <summary>The folder an input entry walks: the folder itself, or a glob's fixed leading part; null for a single file.</summary>
    private static string? InputFolderOf(string path, string baseDirectory)
    {
        var wildcard = path.IndexOfAny(['*', '?', '[', '{']);
        if (wildcard >= 0)
        {
            var root = path[..wildcard];
            var slash = root.LastIndexOfAny(['/', '\\']);
            return Path.GetFullPath(slash < 0 ? "." : root[..(slash + 1)], baseDirectory);
        }

        var full = Path.GetFullPath(path, baseDirectory);
        return Directory.Exists(full) ? full : null;
    }

}
