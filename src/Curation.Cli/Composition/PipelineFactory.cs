using Curation.Core.Files;
using System.Security.Cryptography;
using System.Text;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.IO;
using Curation.IO.Inputs;
using Curation.IO.Writers;

namespace Curation.Cli.Composition;

/// <summary>Turns a pipeline file into a checked <see cref="PreparedPipeline"/>, and that into a runnable session.</summary>
internal static class PipelineFactory
{
    /// <exception cref="CurationException">The file, a stage, a parameter or an input is wrong; the message says where.</exception>
    public static PreparedPipeline Prepare(string pipelineFile, Core.Stages.StageRegistry registry, string? outputOverride, long? seedOverride)
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
    public static PreparedPipeline Prepare(PipelineDefinition definition, string sourceText, Core.Stages.StageRegistry registry, string? outputOverride, long? seedOverride)
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

        RejectOutputOverInputs(inputs, outputDirectory);
        var sourceSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sourceText)));
        return new PreparedPipeline(definition, inputs, stages, outputDirectory, sourceSha256);
    }

    public static PipelineSession CreateRunner(PreparedPipeline prepared, RunOptions options, IRunObserver? observer)
    {
        var definition = prepared.Definition;
        Directory.CreateDirectory(prepared.OutputDirectory);
        var encoding = new JsonlEncodingOptions { IncludeId = definition.Output.IncludeId, IncludeMetadata = definition.Output.IncludeMetadata };
        var output = RecordWriterFactory.Create(definition.Output, prepared.OutputDirectory, encoding);
        var rejects = RecordWriterFactory.CreateRejects(prepared.OutputDirectory, definition.Output.Rejects);
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
            observer);
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

    private static void RejectOutputOverInputs(IReadOnlyList<ResolvedInput> inputs, string outputDirectory)
    {
        var prefix = outputDirectory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        foreach (var file in inputs.SelectMany(input => input.Files))
        {
            if (file.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new CurationException(
                    $"{DisplayPath.For(file)}: input lies inside the output folder {DisplayPath.For(outputDirectory)}; a run would overwrite what it reads");
            }
        }
    }
}
