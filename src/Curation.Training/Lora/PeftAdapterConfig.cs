using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Training.Checkpoints;

namespace Curation.Training.Lora;

/// <summary>
/// PEFT's <c>adapter_config.json</c> for LoRA: read into <see cref="LoraOptions"/>, with every key that changes what
/// the adapter computes either honoured or refused by name, and written as PEFT's <c>save_pretrained</c> writes it.
/// </summary>
public static class PeftAdapterConfig
{
    /// <exception cref="CurationException">Not a LoRA adapter config, or one with a feature not implemented: one line naming the file, key and value.</exception>
    public static LoraOptions Read(string path)
    {
        JsonObject config;
        try
        {
            config = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new CurationException($"{path}: not a PEFT LoRA adapter config: null");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            throw new CurationException($"{path}: not a PEFT LoRA adapter config: {ex.Message}", ex);
        }

        if (config["peft_type"] is not JsonValue peftType || peftType.GetValueKind() != JsonValueKind.String || peftType.GetValue<string>() != "LORA")
        {
            throw new CurationException($"{path}: peft_type is '{config["peft_type"]}'; expected LORA");
        }

        RefuseUnsupported(config, path);
        var (targets, targetPattern) = Names(config, "target_modules", path);
        if (targets is null && targetPattern is null)
        {
            throw new CurationException($"{path}: target_modules is missing; expected module names or a pattern");
        }

        var (excluded, excludePattern) = Names(config, "exclude_modules", path);
        var (layersPattern, layersPatternString) = Names(config, "layers_pattern", path);
        return new LoraOptions
        {
            Rank = Get(config, "r", path, n => n.GetValue<int>()),
            Alpha = Get(config, "lora_alpha", path, n => n.GetValue<double>()),
            Dropout = Optional(config, "lora_dropout", path, n => n.GetValue<double>()) ?? 0,
            RsLora = Optional(config, "use_rslora", path, n => n.GetValue<bool>()) ?? false,
            TargetModules = targets,
            TargetPattern = targetPattern,
            ExcludeModules = excluded,
            ExcludePattern = excludePattern,
            LayersToTransform = Layers(config, path),
            LayersPattern = layersPatternString is { } one ? [one] : layersPattern,
            RankPattern = Patterns(config, "rank_pattern", path, n => n.GetValue<int>()),
            AlphaPattern = Patterns(config, "alpha_pattern", path, n => n.GetValue<double>()),
        };
    }

    /// <summary>The config PEFT writes for <paramref name="options"/>; <paramref name="adapted"/> are the modules that carry the adapter.</summary>
    public static JsonObject For(LoraOptions options, ModelArchitecture architecture, IReadOnlyList<string> adapted, string baseModel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(adapted);

        // PEFT writes all-linear out as the modules it found; a pattern stays a pattern.
        JsonNode targets = options.TargetPattern is { } pattern && !string.Equals(pattern, LoraOptions.AllLinear, StringComparison.OrdinalIgnoreCase)
            ? JsonValue.Create(pattern)
            : Strings(options.TargetPattern is null ? options.TargetsFor(architecture) : adapted.Select(name => name[(name.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal));
        return new JsonObject
        {
            ["alpha_pattern"] = new JsonObject([.. options.AlphaPattern.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))]),
            ["auto_mapping"] = null,
            ["base_model_name_or_path"] = baseModel,
            ["bias"] = "none",
            ["exclude_modules"] = options.ExcludePattern is { } exclude ? JsonValue.Create(exclude) : options.ExcludeModules is { } names ? Strings(names) : null,
            ["fan_in_fan_out"] = architecture == ModelArchitecture.Gpt2,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["layers_pattern"] = options.LayersPattern is { } layerNames ? Strings(layerNames) : null,
            ["layers_to_transform"] = options.LayersToTransform is { } layers ? new JsonArray([.. layers.Select(l => (JsonNode?)JsonValue.Create(l))]) : null,
            ["lora_alpha"] = options.Alpha,
            ["lora_dropout"] = options.Dropout,
            ["modules_to_save"] = null,
            ["peft_type"] = "LORA",
            ["r"] = options.Rank,
            ["rank_pattern"] = new JsonObject([.. options.RankPattern.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))]),
            ["revision"] = null,
            ["target_modules"] = targets,
            ["task_type"] = "CAUSAL_LM",
            ["use_dora"] = false,
            ["use_rslora"] = options.RsLora,
        };
    }

    // Keys whose non-default values change what the adapter computes in ways this trainer does not implement.
    private static void RefuseUnsupported(JsonObject config, string path)
    {
        foreach (var key in new[] { "use_dora", "lora_bias", "use_qalora" })
        {
            if (config[key] is JsonValue value && value.GetValueKind() == JsonValueKind.True)
            {
                throw Unsupported(path, key, "true", "only plain LoRA adapters load");
            }
        }

        if (config["bias"] is JsonValue bias && bias.GetValueKind() == JsonValueKind.String && bias.GetValue<string>() != "none")
        {
            throw Unsupported(path, "bias", $"'{bias.GetValue<string>()}'", "expected none (adapters that train biases are not implemented)");
        }

        foreach (var key in new[] { "modules_to_save", "trainable_token_indices", "layer_replication", "target_parameters", "alora_invocation_tokens" })
        {
            var value = config[key];
            var empty = value is null || (value is JsonArray array && array.Count == 0) || (value is JsonObject obj && obj.Count == 0);
            if (!empty)
            {
                throw Unsupported(path, key, value!.ToJsonString(), "expected null");
            }
        }
    }

    private static CurationException Unsupported(string path, string key, string value, string expected) =>
        new($"{path}: {key} {value} is not supported; {expected}");

    // target_modules, exclude_modules and layers_pattern: a list of names, or one string.
    private static (IReadOnlyList<string>? Names, string? Pattern) Names(JsonObject config, string key, string path) => config[key] switch
    {
        null => (null, null),
        JsonArray array when array.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String) => ([.. array.Select(n => n!.GetValue<string>())], null),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => (null, value.GetValue<string>()),
        var other => throw new CurationException($"{path}: {key} is {other.ToJsonString()}; expected a list of module names or one pattern"),
    };

    private static IReadOnlyList<int>? Layers(JsonObject config, string path)
    {
        try
        {
            return config["layers_to_transform"] switch
            {
                null => null,
                JsonArray array => [.. array.Select(n => n!.GetValue<int>())],
                var one => [one.GetValue<int>()],
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new CurationException($"{path}: layers_to_transform is {config["layers_to_transform"]!.ToJsonString()}; expected a layer index or a list of them", ex);
        }
    }

    private static IReadOnlyList<KeyValuePair<string, T>> Patterns<T>(JsonObject config, string key, string path, Func<JsonNode, T> read)
    {
        if (config[key] is null)
        {
            return [];
        }

        try
        {
            return [.. config[key]!.AsObject().Select(p => KeyValuePair.Create(p.Key, read(p.Value!)))];
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new CurationException($"{path}: {key} is {config[key]!.ToJsonString()}; expected {{module pattern: number}}", ex);
        }
    }

    private static T Get<T>(JsonObject config, string key, string path, Func<JsonNode, T> read)
        where T : struct =>
        Optional(config, key, path, read) ?? throw new CurationException($"{path}: '{key}' is missing");

    private static T? Optional<T>(JsonObject config, string key, string path, Func<JsonNode, T> read)
        where T : struct
    {
        if (config[key] is not { } node)
        {
            return null;
        }

        try
        {
            return read(node);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new CurationException(string.Create(CultureInfo.InvariantCulture, $"{path}: '{key}' is {node.ToJsonString()}: {ex.Message}"), ex);
        }
    }

    private static JsonArray Strings(IEnumerable<string> names) =>
        new([.. names.Order(StringComparer.Ordinal).Select(n => (JsonNode?)JsonValue.Create(n))]);
}
