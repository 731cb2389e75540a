using System.Security.Cryptography;
using System.Text;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Manifest;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.IO;
using Curation.IO.Inputs;
using Curation.IO.Writers;

namespace Curation.Pipeline;

/// <summary>Turns a pipeline file into a checked <see cref="PreparedPipeline"/>, and that into a runnable session.</summary>
public static class PipelineFactory
{
    /// <exception cref="CurationException">The file, a stage, a parameter or an input is wrong; the message says where.</exception>
    public static PreparedPipeline Prepare(string pipelineFile, StageRegistry registry, string? outputOverride, long? seedOverride)
    {
        if (!File.Exists(pipelineFile))
        {
            throw new CurationException($"{pipelineFile}: pipeline file not found");
        }

        var text = File.ReadAllText(pipelineFile);
        var definition = PipelineLoader.Parse(text, pipelineFile, Path.GetDirectoryName(Path.GetFullPath(pipelineFile))!, registry);
        return Prepare(definition, text, registry, outputOverride, seedOverride);
    }

    /// <summary>Checks a parsed pipeline, builds its stages and resolves its inputs.</summary>
    /// <param name="sourceText">The YAML it was parsed from; its SHA-256 goes into the manifest.</param>
    /// <param name="optionNames">For a pipeline a command wrote from its options: each setting's option name (e.g. <c>output.rejects</c> → <c>--rejects</c>), so that errors name what the user typed.</param>
    public static PreparedPipeline Prepare(
        PipelineDefinition definition, string sourceText, StageRegistry registry, string? outputOverride, long? seedOverride, IReadOnlyDictionary<string, string>? optionNames = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (seedOverride is { } seed)
        {
            definition = PipelineLoader.WithSeed(definition, seed);
        }

        CheckOutput(definition);
        var outputDirectory = Path.GetFullPath(outputOverride ?? Path.Combine(definition.BaseDirectory, definition.Output.Dir));
        var stages = PipelineLoader.BuildStages(definition, registry, outputDirectory)
            .Select(built => new PreparedStage(built.Stage, built.Definition.Workers))
            .ToList();
        if (OutputFormatStage.IsNeededFor(definition.Output.Format))
        {
            stages.Add(new PreparedStage(new OutputFormatStage(definition.Output.Format), Workers: null));
        }

        var inputs = InputResolver.ResolveAll(definition.Inputs, definition.BaseDirectory);
        foreach (var input in inputs)
        {
            _ = new IO.Formats.RecordDecoder(input.Options);
            if (input.Options.Delimiter is { Length: 0 })
            {
                throw new CurationException($"{definition.File}: inputs '{input.Options.Path}': field 'delimiter': expected one or more characters (or 'tab'), got an empty string");
            }
        }

        RejectOutputOverInputs(definition, inputs, outputDirectory, outputOverride is not null);
        var outputs = PlanOutputs(definition, stages, outputDirectory, outputOverride is not null);
        CheckOutputPlan(definition, outputs, PlanReads(definition, inputs, stages), optionNames);
        var sourceSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceText)));
        return new PreparedPipeline(definition, inputs, stages, outputDirectory, sourceSha256, outputs);
    }

    /// <summary>Every file and folder the run will write: data, rejects, the stages' own files, and the manifest last.</summary>
    private static List<PlannedOutput> PlanOutputs(PipelineDefinition definition, IReadOnlyList<PreparedStage> stages, string outputDirectory, bool overridden)
    {
        var dirSetting = overridden ? "--output" : "output.dir";
        var dirKey = overridden ? null : definition.Locations.ContainsKey("output.dir") ? "output.dir" : "output";
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

    /// <summary>Everything the run reads: the pipeline file, each input file, the folders and glob roots it walks, and the stages' own files.</summary>
    private static List<PlannedRead> PlanReads(PipelineDefinition definition, IReadOnlyList<ResolvedInput> inputs, IReadOnlyList<PreparedStage> stages)
    {
        var reads = new List<PlannedRead>();
        if (File.Exists(definition.File))
        {
            reads.Add(new PlannedRead(Path.GetFullPath(definition.File), "the pipeline file"));
        }

        var entry = 0;
        foreach (var input in inputs)
        {
            entry++;
            var setting = $"inputs[{entry}]";
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

    private static void CheckOutputPlan(PipelineDefinition definition, IReadOnlyList<PlannedOutput> outputs, IReadOnlyList<PlannedRead> reads, IReadOnlyDictionary<string, string>? optionNames)
    {
        if (optionNames is not null)
        {
            outputs = [.. outputs.Select(output => output with { Setting = Rename(output.Setting, optionNames), ConfigKey = null })];
            reads = [.. reads.Select(read => read with { Setting = Rename(read.Setting, optionNames) })];
        }

        var conflicts = OutputPlan.FindConflicts(outputs, reads);
        if (conflicts.Count > 0)
        {
            throw new ConfigException([.. conflicts.Select(conflict => definition.ErrorAt(conflict.Output.ConfigKey, conflict.Problem))]);
        }
    }

    private static string Rename(string setting, IReadOnlyDictionary<string, string> optionNames) =>
        optionNames.Aggregate(setting, (text, pair) => text.Replace(pair.Key, pair.Value, StringComparison.Ordinal));

    /// <exception cref="CurationException">An output file cannot be created (no space, no permission): one line naming it.</exception>
    public static PipelineSession CreateRunner(PreparedPipeline prepared, RunOptions options, IRunObserver? observer, RunOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var definition = prepared.Definition;
        var encoding = new JsonlEncodingOptions { IncludeId = definition.Output.IncludeId, IncludeMetadata = definition.Output.IncludeMetadata };
        var output = RecordWriterFactory.Create(outputs, definition.Output, prepared.OutputDirectory, encoding);
        IRecordWriter<Reject> rejects;
        try
        {
            rejects = RecordWriterFactory.CreateRejects(outputs, RecordWriterFactory.RejectsPath(definition.Output, prepared.OutputDirectory));
        }
        catch
        {
            output.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        var steps = prepared.Steps
            .Select(step => new PipelineStep(step.Stage, step.Workers ?? options.Workers))
            .ToList();
        var runner = new PipelineRunner(
            new FileRecordSource(prepared.Inputs),
            new InputRoutingDecoder(prepared.Inputs),
            steps,
            output,
            rejects,
            options,
            observer,
            outputs: outputs);
        return new PipelineSession(runner, output, rejects);
    }

    private static void CheckOutput(PipelineDefinition definition)
    {
        if (string.IsNullOrWhiteSpace(definition.Output.Rejects)
            || Path.GetFullPath(definition.Output.Rejects, "/out") == Path.GetFullPath(RecordWriterFactory.DataFileName(definition.Output), "/out"))
        {
            throw new CurationException($"{definition.File}: output: field 'rejects': expected a file name other than the data file's, got '{definition.Output.Rejects}'");
        }

        if (definition.Output.Format == OutputFormat.Parquet && definition.Output.Compression != OutputCompression.None)
        {
            throw new CurationException(
                $"{definition.File}: output: field 'compression': applies to JSONL output only; parquet files are compressed inside (snappy), so remove it or set 'none'");
        }

        if (OutputFormatStage.IsNeededFor(definition.Output.Format)
            && definition.Stages.FirstOrDefault(stage => stage.Name == OutputFormatStage.StageName) is { } clash)
        {
            throw new CurationException(
                $"{definition.File}:{clash.Line}:1: stage name '{OutputFormatStage.StageName}' is reserved for the check that {ConfigNames.ForEnumValue(definition.Output.Format)} output adds; choose another 'name:'");
        }
    }

    private static void RejectOutputOverInputs(PipelineDefinition definition, IReadOnlyList<ResolvedInput> inputs, string outputDirectory, bool overridden)
    {
        var folder = RealPath.Of(outputDirectory);
        var entry = 0;
        foreach (var input in inputs)
        {
            entry++;
            if (input.Files.FirstOrDefault(file => RealPath.IsInside(RealPath.Of(file), folder)) is { } inside)
            {
                var message = $"{(overridden ? "--output" : "output.dir")}: the output folder {DisplayPath.For(outputDirectory)} holds {DisplayPath.For(inside)}, which inputs[{entry}] reads; a run would overwrite what it reads. Write the output elsewhere";
                throw new ConfigException([definition.ErrorAt(overridden ? null : definition.Locations.ContainsKey("output.dir") ? "output.dir" : "output", message)]);
            }
        }
    }
}
