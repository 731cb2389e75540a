using System.Security.Cryptography;
using System.Text;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.IO;
using Curation.IO.Writers;
using Curation.Pipeline.Slurm;

namespace Curation.Pipeline;

/// <summary>Turns a pipeline file into a checked <see cref="PreparedPipeline"/>, and that into a runnable session.</summary>
public static class PipelineFactory
{
    /// <exception cref="CurationException">The file is missing, or a stage, parameter, input or output is wrong; every problem, each with where it is.</exception>
    public static PreparedPipeline Prepare(string pipelineFile, StageRegistry registry, string? outputOverride, long? seedOverride)
    {
        ArgumentNullException.ThrowIfNull(pipelineFile);
        if (!File.Exists(pipelineFile))
        {
            throw new CurationException($"{pipelineFile}: pipeline file not found");
        }

        var source = new PipelineSource(File.ReadAllText(pipelineFile), pipelineFile, Path.GetDirectoryName(Path.GetFullPath(pipelineFile))!);
        return Prepare(source, registry, outputOverride, seedOverride);
    }

    /// <summary>
    /// Binds the pipeline, builds its stages, resolves its inputs and plans its outputs, collecting every problem on
    /// the way (each at its setting's position) and throwing them together, before any data is read.
    /// </summary>
    /// <param name="optionNames">For a pipeline a command wrote from its options: each setting's option name (e.g. <c>output.rejects</c> → <c>--rejects</c>), so that errors name what the user typed.</param>
    /// <exception cref="ConfigException">Every problem found, in file order.</exception>
    public static PreparedPipeline Prepare(
        PipelineSource source, StageRegistry registry, string? outputOverride, long? seedOverride, IReadOnlyDictionary<string, string>? optionNames = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var binding = PipelineLoader.Bind(source.Yaml, source.File, source.BaseDirectory, registry);
        var definition = seedOverride is { } seed ? PipelineLoader.WithSeed(binding.Definition, seed) : binding.Definition;
        var problems = new ConfigProblems(definition, binding.Errors, optionNames);

        // Output settings that did not bind, or contradict each other, would only add conflicts of their own making.
        var outputPlannable = !binding.OutputFaulty && OutputChecks.CheckSettings(definition, problems);

        var outputDirectory = Path.GetFullPath(outputOverride ?? Path.Combine(definition.BaseDirectory, definition.Output.Dir));
        var stages = PipelineLoader.BuildStages(definition, registry, outputDirectory, problems.Errors, binding.FaultyStages)
            .Select(built => new PreparedStage(built.Stage, built.Definition.Workers))
            .ToList();
        if (OutputFormatStage.IsNeededFor(definition.Output.Format))
        {
            stages.Add(new PreparedStage(new OutputFormatStage(definition.Output.Format), Workers: null));
        }

        var inputs = InputChecks.Resolve(binding, problems);
        var overridden = outputOverride is not null;
        var outputs = OutputChecks.Plan(definition, stages, outputDirectory, overridden);
        if (outputPlannable && !OutputChecks.CheckFolderAgainstInputs(inputs, outputDirectory, overridden, problems))
        {
            OutputChecks.CheckPlan(definition, outputs, inputs, stages, optionNames, problems);
        }

        var executor = definition.ExecutorSection is { } section
            ? (SlurmResources)new OptionsBinder(definition.File, problems.Errors).Bind(typeof(SlurmResources), section, "executor")
            : new SlurmResources();
        problems.ThrowIfAny();
        var sourceSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Yaml)));
        return new PreparedPipeline(definition, inputs, stages, outputDirectory, sourceSha256, outputs) { Executor = executor };
    }

    /// <exception cref="CurationException">An output file cannot be created (no space, no permission): one line naming it.</exception>
    public static PipelineSession CreateRunner(PreparedPipeline prepared, RunOptions options, IRunObserver? observer, RunOutputs outputs, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(options);
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
            new InputRoutingDecoder(prepared.Inputs, VerbatimLines.WorthKeeping(definition.Output, steps.Select(step => step.Stage))),
            steps,
            output,
            rejects,
            options,
            observer,
            time,
            outputs: outputs);
        return new PipelineSession(runner, output, rejects);
    }
}

/// <summary>A pipeline's YAML, the name errors give its file, and the folder its relative paths start from.</summary>
public sealed record PipelineSource(string Yaml, string File, string BaseDirectory);
