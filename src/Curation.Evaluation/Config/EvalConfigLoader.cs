using Curation.Core;
using Curation.Core.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Curation.Evaluation.Config;

/// <summary>
/// Reads an eval file (<c>evals/X.yaml</c>) and reports every problem at once with file:line:column; paths in it are
/// relative to the folder that holds it, as in pipeline files.
/// </summary>
internal static class EvalConfigLoader
{
    private static readonly IReadOnlySet<string> ArmsKey = new HashSet<string>(StringComparer.Ordinal) { "arms" };

    /// <param name="checkGate">Parses one gate expression given the arms' names; returns its problem, or null.</param>
    /// <param name="checkMetric">Checks one metric name; returns its problem, or null.</param>
    public static EvalDefinition Load(string file, Func<string, IReadOnlyList<string>, string?> checkGate, Func<string, string?> checkMetric)
    {
        var fullPath = Path.GetFullPath(file);
        if (!File.Exists(fullPath))
        {
            throw new CurationException($"{file}: eval file not found");
        }

        var display = file;
        var root = ReadRoot(File.ReadAllText(fullPath), display);
        var errors = new List<ConfigError>();
        var binder = new OptionsBinder(display, errors);
        var options = (EvalOptions)binder.Bind(typeof(EvalOptions), root, "eval", ArmsKey);
        var arms = new List<ArmOptions>();
        var armsNode = root.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: "arms" }).Value;
        if (armsNode is not YamlSequenceNode { Children.Count: > 0 } sequence)
        {
            binder.Error(armsNode ?? root, "eval: 'arms' must be a list of at least one arm (local: or api:)");
        }
        else
        {
            foreach (var node in sequence.Children)
            {
                var arm = (ArmOptions)binder.Bind(typeof(ArmOptions), node, $"arm {arms.Count + 1}");
                if (arm.Name is not null && (arm.Local is null) == (arm.Api is null))
                {
                    binder.Error(node, $"arm '{arm.Name}': give exactly one of 'local' (a model folder) or 'api' (an OpenAI-compatible endpoint)");
                }

                if (arm.Name is not null && arms.Any(other => other.Name == arm.Name))
                {
                    binder.Error(node, $"arm '{arm.Name}': the name is used by another arm; names must be unique");
                }

                arms.Add(arm);
            }
        }

        if (options.Judge?.Arm is { } judge && arms.All(arm => arm.Name != judge))
        {
            binder.Error(root, $"judge.arm: '{judge}' is not one of the arms ({string.Join(", ", arms.Select(arm => arm.Name))})");
        }

        foreach (var name in options.Judge?.Pairwise ?? [])
        {
            if (arms.All(arm => arm.Name != name))
            {
                binder.Error(root, $"judge.pairwise: '{name}' is not one of the arms");
            }
        }

        if (options.Judge is { Pairwise.Count: not 0 and not 2 })
        {
            binder.Error(root, "judge.pairwise: expected two arm names");
        }

        foreach (var metric in options.Metrics)
        {
            if (checkMetric(metric) is { } problem)
            {
                binder.Error(root, $"metrics: {problem}");
            }
        }

        foreach (var gate in options.Gates)
        {
            if (checkGate(gate, arms.Select(arm => arm.Name ?? string.Empty).ToArray()) is { } problem)
            {
                binder.Error(root, $"gates: '{gate}': {problem}");
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigException(errors);
        }

        var folder = Path.GetDirectoryName(fullPath)!;
        Resolve(options, arms, folder);
        return new EvalDefinition(display, options.Name ?? Path.GetFileNameWithoutExtension(fullPath), options, arms);
    }

    private static void Resolve(EvalOptions options, List<ArmOptions> arms, string folder)
    {
        string Full(string path) => Path.GetFullPath(path, folder);
        options.Golden!.Path = Full(options.Golden.Path!);
        options.Output!.Dir = Full(options.Output.Dir!);
        options.Store = options.Store is null ? null : Full(options.Store);
        ResolvePrompt(options.Prompt, Full);
        if (options.Judge is { } judge)
        {
            judge.Rubric = Full(judge.Rubric!);
        }

        if (options.Leakage is { } leakage)
        {
            leakage.Index = Full(leakage.Index!);
        }

        foreach (var arm in arms)
        {
            if (arm.Local is { } local)
            {
                local.Model = Full(local.Model!);
                local.Adapter = local.Adapter is null ? null : Full(local.Adapter);
            }

            if (arm.Prompt is { } prompt)
            {
                ResolvePrompt(prompt, Full);
            }
        }
    }

    private static void ResolvePrompt(PromptOptions prompt, Func<string, string> full)
    {
        prompt.System = prompt.System is null ? null : full(prompt.System);
        prompt.User = prompt.User is null ? null : full(prompt.User);
    }

    private static YamlMappingNode ReadRoot(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ConfigException([new ConfigError(file, (int)ex.Start.Line, (int)ex.Start.Column, $"not valid YAML: {ex.Message}")]);
        }

        return stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
            ?? throw new ConfigException([new ConfigError(file, 0, 0, "expected a mapping with golden, arms, metrics and output")]);
    }
}
