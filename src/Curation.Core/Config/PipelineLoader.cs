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

    private static readonly string[] TopLevelKeys = ["name", "seed", "workers", "max_reject_fraction", "inputs", "stages", "output", "executor"];

    /// <summary>Binds a pipeline file and throws every problem at once.</summary>
    /// <exception cref="ConfigException">The YAML is invalid, or a key, type or value is wrong; each error with its position.</exception>
    public static PipelineDefinition Parse(string yaml, string file, string baseDirectory, StageRegistry registry)
    {
        var binding = Bind(yaml, file, baseDirectory, registry);
        return binding.Errors.Count > 0 ? throw new ConfigException(binding.Errors) : binding.Definition;
    }

    /// <summary>
    /// Binds every section of a pipeline file, collecting each problem with its position rather than stopping at the
    /// first, so that checks made later (stages built, inputs resolved, outputs planned) add to the same list.
    /// </summary>
    /// <exception cref="ConfigException">The text is not YAML, or not a mapping: nothing can be bound.</exception>
    public static PipelineBinding Bind(string yaml, string file, string baseDirectory, StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var root = ReadRoot(yaml, file);
        var errors = new List<ConfigError>();
        var binder = new OptionsBinder(file, errors);
        var name = Path.GetFileNameWithoutExtension(file);
        var seed = PipelineDefinition.DefaultSeed;
        int? workers = null;
        var maxRejectFraction = Runtime.ResultChecks.DefaultMaxRejectFraction;
        var inputs = new List<InputOptions>();
        var faultyInputs = new HashSet<int>();
        var inputsFaulty = false;
        var stages = new List<StageDefinition>();
        var faultyStages = new HashSet<int>();
        OutputOptions? output = null;
        var outputFaulty = false;
        YamlNode? executor = null;

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
                    workers = BindWorkers(binder, valueNode, "workers") ?? workers;
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
                    var errorsBefore = errors.Count;
                    BindInputs(binder, valueNode, errors, inputs, faultyInputs);
                    inputsFaulty = errors.Count > errorsBefore;
                    break;
                case "stages":
                    BindStages(binder, valueNode, registry, errors, stages, faultyStages);
                    break;
                case "output":
                    var before = errors.Count;
                    binder.Locate("output", valueNode);
                    output = (OutputOptions)binder.Bind(typeof(OutputOptions), valueNode, "output");
                    outputFaulty = errors.Count > before;
                    break;
                case "executor":
                    // Bound by the host that runs shard tasks on a cluster; it does not change what a run writes.
                    binder.Locate("executor", valueNode);
                    executor = valueNode;
                    break;
                default:
                    binder.Error(keyNode, $"unknown key '{key}'; valid keys: {string.Join(", ", TopLevelKeys)}");
                    break;
            }
        }

        if (inputs.Count == 0 && !inputsFaulty)
        {
            binder.Error(root, "no inputs: add 'inputs:' with at least one '- path: ...'");
        }

        output ??= new OutputOptions();
        var canonical = Canonicalize(seed, maxRejectFraction, inputs, stages, output);
        var definition = new PipelineDefinition
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
            ExecutorSection = executor,
        };
        return new PipelineBinding(definition, errors, faultyInputs, faultyStages, outputFaulty);
    }

    private static YamlMappingNode ReadRoot(string yaml, string file)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode mapping
                ? mapping
                : throw new ConfigException([new ConfigError(file, 1, 1, "expected a mapping with inputs, stages and output")]);
        }
        catch (YamlException ex)
        {
            var reason = FirstSentence(ex.InnerException?.Message ?? ex.Message);
            throw new ConfigException([TabIndentation(yaml, file) is { } tab && reason.Contains("tab", StringComparison.OrdinalIgnoreCase)
                ? tab
                : new ConfigError(file, (int)ex.Start.Line, (int)ex.Start.Column, $"invalid YAML: {reason}")]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some unterminated flow collections.
            throw new ConfigException([new ConfigError(file, 0, 0, "invalid YAML: unterminated '[', '{' or quote")]);
        }
    }

    // YamlDotNet reports a tab used for indentation at the start of the mapping it was scanning, not where it is.
    private static ConfigError? TabIndentation(string yaml, string file)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indentation = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab >= 0 && tab < indentation)
            {
                return new ConfigError(file, i + 1, tab + 1, "invalid YAML: a tab indents this line; YAML indents with spaces");
            }
        }

        return null;
    }

    /// <summary>Binds a worker count, <c>workers</c> at the top or in a stage: an integer of at least 1.</summary>
    private static int? BindWorkers(OptionsBinder binder, YamlNode node, string context)
    {
        if (!binder.TryConvert(typeof(int), node, context, out var value))
        {
            return null;
        }

        var workers = (int)value!;
        if (!Runtime.WorkerCount.IsValid(workers))
        {
            binder.Error(node, $"{context}: expected {Runtime.WorkerCount.Expectation}, got {workers}");
            return null;
        }

        return workers;
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

    /// <summary>Builds each stage and throws every factory's error at once, each at its stage's position.</summary>
    /// <param name="outputDirectory">The run's output folder; default: <c>output.dir</c> of the pipeline.</param>
    public static IReadOnlyList<(StageDefinition Definition, IStage Stage)> BuildStages(PipelineDefinition pipeline, StageRegistry registry, string? outputDirectory = null)
    {
        var errors = new List<ConfigError>();
        var built = BuildStages(pipeline, registry, outputDirectory, errors);
        return errors.Count > 0 ? throw new ConfigException(errors) : built;
    }

    /// <summary>Builds each stage, adding a factory's argument errors to <paramref name="errors"/> at the stage's position.</summary>
    /// <param name="outputDirectory">The run's output folder; default: <c>output.dir</c> of the pipeline.</param>
    /// <param name="skip">Stages not to build (by index), such as those whose options did not bind.</param>
    public static IReadOnlyList<(StageDefinition Definition, IStage Stage)> BuildStages(
        PipelineDefinition pipeline, StageRegistry registry, string? outputDirectory, List<ConfigError> errors, IReadOnlySet<int>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(errors);
        var built = new List<(StageDefinition, IStage)>();
        var outputFolder = outputDirectory ?? Path.GetFullPath(pipeline.Output.Dir, pipeline.BaseDirectory);
        for (var index = 0; index < pipeline.Stages.Count; index++)
        {
            var definition = pipeline.Stages[index];
            if (skip?.Contains(index) == true)
            {
                continue;
            }

            var descriptor = registry.TryGet(definition.Kind, out var d) ? d : throw new InvalidOperationException($"stage '{definition.Kind}' vanished from the registry");
            try
            {
                built.Add((definition, descriptor.Create(definition.Options, new StageBuildContext(definition.Name, pipeline.BaseDirectory, pipeline.Seed, outputFolder))));
            }
            catch (Exception ex) when (ex is ArgumentException or CurationException or IOException)
            {
                errors.Add(new ConfigError(pipeline.File, definition.Position.Line, definition.Position.Column, $"stage '{definition.Name}': {MessageOf(ex)}"));
            }
        }

        return built;
    }

    // An ArgumentException's message ends with " (Parameter 'name')", the C# parameter rather than the YAML one.
    private static string MessageOf(Exception exception) =>
        exception is ArgumentException { ParamName: { } parameter } argument
            ? argument.Message.Replace($" (Parameter '{parameter}')", string.Empty, StringComparison.Ordinal)
            : exception.Message;

    private static void BindInputs(OptionsBinder binder, YamlNode node, List<ConfigError> errors, List<InputOptions> inputs, HashSet<int> faulty)
    {
        if (node is not YamlSequenceNode sequence)
        {
            binder.Error(node, $"inputs: expected a list of '- path: ...' entries, got {OptionsBinder.Describe(node)}");
            return;
        }

        foreach (var child in sequence.Children)
        {
            var context = $"inputs[{inputs.Count + 1}]";
            binder.Locate(context, child);
            if (child is YamlScalarNode pathOnly)
            {
                inputs.Add(new InputOptions { Path = pathOnly.Value ?? string.Empty });
                continue;
            }

            var before = errors.Count;
            var input = (InputOptions)binder.Bind(typeof(InputOptions), child, context);
            if (string.IsNullOrWhiteSpace(input.Path))
            {
                binder.Error(child, $"{context}: parameter 'path' is required (a file, folder or glob)");
            }

            if (errors.Count > before)
            {
                faulty.Add(inputs.Count);
            }

            inputs.Add(input);
        }
    }

    private static void BindStages(OptionsBinder binder, YamlNode node, StageRegistry registry, List<ConfigError> errors, List<StageDefinition> stages, HashSet<int> faulty)
    {
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (node is not YamlSequenceNode sequence)
        {
            binder.Error(node, $"stages: expected a list of stages, got {OptionsBinder.Describe(node)}");
            return;
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

            var before = errors.Count;
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
                        case "workers":
                            workers = BindWorkers(binder, valueNode, $"stage '{kind}': parameter 'workers'");
                            break;
                    }
                }
            }

            if (!names.Add(name))
            {
                binder.Error(kindNode, $"stage name '{name}' is used twice; give one of them 'name: <unique name>'");
            }

            var options = binder.Bind(descriptor.OptionsType, parameters, $"stage '{name}'", CommonStageKeys, owner: kindNode);
            if (errors.Count > before)
            {
                faulty.Add(stages.Count);
            }

            stages.Add(new StageDefinition(kind, name, workers, options, new ConfigPosition((int)kindNode.Start.Line, (int)kindNode.Start.Column)));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
