using System.Text.RegularExpressions;
using Curation.Core;
using Curation.Training.Checkpoints;

namespace Curation.Training.Lora;

/// <summary>
/// PEFT's module selection (<c>check_target_module_exists</c>) and per-module patterns (<c>get_pattern_key</c>),
/// on full module names such as <c>model.layers.3.mlp.down_proj</c>. Python's regular expressions are read as .NET's;
/// the patterns adapters use (names, dots, alternations, classes, quantifiers) mean the same in both.
/// </summary>
public static class PeftModuleMatch
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <summary>Whether <paramref name="options"/> adapt module <paramref name="module"/> of a model of <paramref name="architecture"/>.</summary>
    public static bool Selects(LoraOptions options, ModelArchitecture architecture, string module)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(module);
        if (Excluded(options, module))
        {
            return false;
        }

        if (options.TargetPattern is { } pattern)
        {
            // all-linear: every projection of ours is linear and the output layer is not a projection.
            return string.Equals(pattern, LoraOptions.AllLinear, StringComparison.OrdinalIgnoreCase)
                ? InLayers(options, module)
                : FullMatch("target_modules", pattern, module);
        }

        var targets = options.TargetsFor(architecture);

        // As PEFT: a target that is the whole name selects it in any layer; a suffix only in layers_to_transform.
        return targets.Contains(module, StringComparer.Ordinal) || (targets.Any(t => EndsWithName(module, t)) && InLayers(options, module));
    }

    /// <summary>Whether <paramref name="module"/> is <paramref name="name"/> or ends with "." and it.</summary>
    public static bool EndsWithName(string module, string name)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module == name || module.EndsWith("." + name, StringComparison.Ordinal);
    }

    /// <summary>PEFT's get_pattern_key: the value of the first pattern such that the name is it or ends with "." and it.</summary>
    public static T? PatternValue<T>(IReadOnlyList<KeyValuePair<string, T>> patterns, string module)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var (pattern, value) in patterns)
        {
            if (Matches("rank_pattern/alpha_pattern", $"^(.*\\.)?({pattern})$", module))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The layer index PEFT reads from a module name (the number after the layer list), or null.</summary>
    public static int? LayerIndexOf(LoraOptions options, string module)
    {
        ArgumentNullException.ThrowIfNull(options);
        var patterns = options.LayersPattern is { Count: > 0 } names ? names.Select(n => $"^.*?\\.{n}\\.(\\d+)\\.") : [@"^.*?\.[^.]*\.(\d+)\."];
        foreach (var pattern in patterns)
        {
            var match = Match("layers_pattern", pattern, module);
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static bool InLayers(LoraOptions options, string module) =>
        options.LayersToTransform is not { Count: > 0 } layers || (LayerIndexOf(options, module) is { } index && layers.Contains(index));

    private static bool Excluded(LoraOptions options, string module) =>
        options.ExcludePattern is { } pattern ? FullMatch("exclude_modules", pattern, module)
        : options.ExcludeModules is { } names && names.Any(name => EndsWithName(module, name));

    private static bool FullMatch(string key, string pattern, string module) => Matches(key, $"^(?:{pattern})\\z", module);

    private static bool Matches(string key, string pattern, string module) => Match(key, pattern, module).Success;

    private static Match Match(string key, string pattern, string module)
    {
        try
        {
            return Regex.Match(module, pattern, RegexOptions.CultureInvariant, Timeout);
        }
        catch (Exception ex) when (ex is ArgumentException or RegexMatchTimeoutException)
        {
            throw new CurationException($"LoRA {key} pattern is not a valid regular expression: {ex.Message}", ex);
        }
    }
}
