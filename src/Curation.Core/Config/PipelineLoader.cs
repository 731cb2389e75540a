using Curation.Core.Stages;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Curation.Core.Config;

/// <summary>
/// Reads a pipeline file, binds every section and reports every problem at once, each with file:line:column and
/// the valid choices, before any data is read.
/// </summary>
public static class PipelineLoader
{
    public static readonly IReadOnlySet<string> CommonStageKeys = new HashSet<string>(StringComparer.Ordinal) { "name", "workers" };

    private static readonly string[] TopLevelKeys = ["name", "seed", "workers", "max_reject_fraction", "inputs", "stages", "output"];

    public static PipelineDefinition Load(string path, StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new ConfigException([new ConfigError(path, 0, 0, "pipeline file not found")]);
        }

        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path))!, registry);
    }

    public static PipelineDefinition Parse(string yaml, string file, string baseDirectory, StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var errors = new List<ConfigError>();
        var binder = new OptionsBinder(file, errors);

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                throw new ConfigException([new ConfigError(file, 1, 1, "expected a mapping with inputs, stages and output")]);
            }

            root = mapping;
        }
        catch (YamlException ex)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new ConfigException([new ConfigError(file, (int)ex.Start.Line, (int)ex.Start.Column, $"invalid YAML: {FirstSentence(reason)}")]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some unterminated flow collections.
            throw new ConfigException([new ConfigError(file, 0, 0, "invalid YAML: unterminated '[', '{' or quote")]);
        }

        var name = Path.GetFileNameWithoutExtension(file);
        long seed = 42;
        int? workers = null;
        var maxRejectFraction = Runtime.ResultChecks.DefaultMaxRejectFraction;
        var inputs = new List<InputOptions>();
        var stages = new List<StageDefinition>();
        OutputOptions? output = null;

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            switch (key)
            {
                case "name":
                    if (binder.TryConvert(typeof(string), valueNode, "name", out var n))
                    {
                        name = (string)n!;
                    }

                    break;
                case "seed":
                    if (binder.TryConvert(typeof(long), valueNode, "seed", out var s))
                    {
                        seed = (long)s!;
                    }

                    break;
                case "workers":
                    if (binder.TryConvert(typeof(int), valueNode, "workers", out var w))
                    {
                        workers = (int)w!;
                        if (workers < 1)
                        {
                            binder.Error(valueNode, "workers: expected an integer of at least 1");
                        }
                    }

                    break;
                case "max_reject_fraction":
                    if (binder.TryConvert(typeof(double), valueNode, "max_reject_fraction", out var f))
                    {
                        maxRejectFraction = (double)f!;
                        if (maxRejectFraction is < 0 or > 1 || double.IsNaN(maxRejectFraction))
                        {
                            binder.Error(valueNode, "max_reject_fraction: expected a number from 0 to 1 (the share of a file that may be rejected when read)");
                        }
                    }

                    break;
                case "inputs":
                    inputs.AddRange(BindInputs(binder, valueNode));
                    break;
                case "stages":
                    stages.AddRange(BindStages(binder, valueNode, registry));
                    break;
                case "output":
                    binder.Locate("output", valueNode);
                    output = (OutputOptions)binder.Bind(typeof(OutputOptions), valueNode, "output");
                    break;
                default:
                    binder.Error(keyNode, $"unknown key '{key}'; valid keys: {string.Join(", ", TopLevelKeys)}");
                    break;
            }
        }

        if (inputs.Count == 0 && errors.Count == 0)
        {
            binder.Error(root, "no inputs: add 'inputs:' with at least one '- path: ...'");
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        output ??= new OutputOptions();
        var canonical = Canonicalize(seed, maxRejectFraction, inputs, stages, output);
        return new PipelineDefinition
        {
            File = file,
            BaseDirectory = baseDirectory,
            Name = name,
            Seed = seed,
            Workers = workers,
            MaxRejectFraction = maxRejectFraction,
            Inputs = inputs,
            Stages = stages,
            Output = output,
            CanonicalJson = canonical,
            Hash = CanonicalJson.Sha256(canonical),
            Locations = binder.Locations,
        };
    }

    /// <summary>The pipeline with another seed: the resolved config and its hash change with it.</summary>
    public static PipelineDefinition WithSeed(PipelineDefinition pipeline, long seed)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var canonical = Canonicalize(seed, pipeline.MaxRejectFraction, pipeline.Inputs, pipeline.Stages, pipeline.Output);
        return pipeline with { Seed = seed, CanonicalJson = canonical, Hash = CanonicalJson.Sha256(canonical) };
    }

    private static string Canonicalize(long seed, double maxRejectFraction, IReadOnlyList<InputOptions> inputs, IReadOnlyList<StageDefinition> stages, OutputOptions output) =>
        CanonicalJson.Serialize(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("seed", seed);
            writer.WriteNumber("max_reject_fraction", maxRejectFraction);
            writer.WritePropertyName("inputs");
            CanonicalJson.WriteValue(writer, inputs);
            writer.WriteStartArray("stages");
            foreach (var stage in stages)
            {
                writer.WriteStartObject();
                writer.WriteString("stage", stage.Kind);
                writer.WriteString("name", stage.Name);
                writer.WritePropertyName("options");
                CanonicalJson.WriteValue(writer, stage.Options);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WritePropertyName("output");
            CanonicalJson.WriteValue(writer, output);
            writer.WriteEndObject();
        });

    /// <summary>Builds each stage, turning a factory's argument errors into config errors at the stage's line.</summary>
    /// <param name="outputDirectory">The run's output folder; default: <c>output.dir</c> of the pipeline.</param>
    public static IReadOnlyList<(StageDefinition Definition, IStage Stage)> BuildStages(PipelineDefinition pipeline, StageRegistry registry, string? outputDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(registry);
        var errors = new List<ConfigError>();
        var built = new List<(StageDefinition, IStage)>();
        foreach (var definition in pipeline.Stages)
        {
            var descriptor = registry.TryGet(definition.Kind, out var d) ? d : throw new InvalidOperationException($"stage '{definition.Kind}' vanished from the registry");
            try
            {
                built.Add((definition, descriptor.Create(definition.Options, new StageBuildContext(definition.Name, pipeline.BaseDirectory, pipeline.Seed, outputDirectory ?? Path.GetFullPath(pipeline.Output.Dir, pipeline.BaseDirectory)))));
            }
            catch (Exception ex) when (ex is ArgumentException or CurationException or IOException)
            {
                errors.Add(new ConfigError(pipeline.File, definition.Line, 1, $"stage '{definition.Name}': {ex.Message}"));
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        return built;
    }

    private static List<InputOptions> BindInputs(OptionsBinder binder, YamlNode node)
    {
        var inputs = new List<InputOptions>();
        if (node is not YamlSequenceNode sequence)
        {
            binder.Error(node, $"inputs: expected a list of '- path: ...' entries, got {OptionsBinder.Describe(node)}");
            return inputs;
        }

        var index = 0;
        foreach (var child in sequence.Children)
        {
            index++;
            var context = $"inputs[{index}]";
            binder.Locate(context, child);
            if (child is YamlScalarNode pathOnly)
            {
                inputs.Add(new InputOptions { Path = pathOnly.Value ?? string.Empty });
                continue;
            }

            var input = (InputOptions)binder.Bind(typeof(InputOptions), child, context);
            if (string.IsNullOrWhiteSpace(input.Path))
            {
                binder.Error(child, $"{context}: parameter 'path' is required (a file, folder or glob)");
            }

            inputs.Add(input);
        }

        return inputs;
    }

    private static List<StageDefinition> BindStages(OptionsBinder binder, YamlNode node, StageRegistry registry)
    {
        var stages = new List<StageDefinition>();
        if (node is YamlScalarNode { Value: null or "" })
        {
            return stages;
        }

        if (node is not YamlSequenceNode sequence)
        {
            binder.Error(node, $"stages: expected a list of stages, got {OptionsBinder.Describe(node)}");
            return stages;
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { "read" };
        var validKinds = string.Join(", ", registry.Kinds);
        foreach (var child in sequence.Children)
        {
            string kind;
            YamlNode? parameters;
            YamlNode kindNode;
            if (child is YamlScalarNode scalar)
            {
                kind = scalar.Value ?? string.Empty;
                parameters = null;
                kindNode = scalar;
            }
            else if (child is YamlMappingNode { Children.Count: 1 } single)
            {
                var entry = single.Children.First();
                kind = (entry.Key as YamlScalarNode)?.Value ?? string.Empty;
                parameters = entry.Value;
                kindNode = entry.Key;
            }
            else
            {
                binder.Error(child, "stages: each stage is '- <stage>' or '- <stage>: {parameters}'");
                continue;
            }

            if (!registry.TryGet(kind, out var descriptor))
            {
                binder.Error(kindNode, $"unknown stage '{kind}'; valid stages: {validKinds}");
                continue;
            }

            var name = kind;
            int? workers = null;
            if (parameters is YamlMappingNode mapping)
            {
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    switch ((keyNode as YamlScalarNode)?.Value)
                    {
                        case "name" when binder.TryConvert(typeof(string), valueNode, $"stage '{kind}': parameter 'name'", out var n):
                            name = (string)n!;
                            break;
                        case "workers" when binder.TryConvert(typeof(int), valueNode, $"stage '{kind}': parameter 'workers'", out var w):
                            workers = (int)w!;
                            if (workers < 1)
                            {
                                binder.Error(valueNode, $"stage '{kind}': parameter 'workers': expected an integer of at least 1");
                            }

                            break;
                    }
                }
            }

            if (!names.Add(name))
            {
                binder.Error(kindNode, $"stage name '{name}' is used twice; give one of them 'name: <unique name>'");
            }

            var options = binder.Bind(descriptor.OptionsType, parameters, $"stage '{name}'", CommonStageKeys);
            stages.Add(new StageDefinition(kind, name, workers, options, (int)kindNode.Start.Line));
        }

        return stages;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
