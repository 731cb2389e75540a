using System.Globalization;
using System.Text.Json;
using Curation.Core;

namespace Curation.Training.Checkpoints;

/// <summary>
/// Reads a <c>config.json</c> with transformers' defaults and semantics per <c>model_type</c>. A key that changes the
/// computation and holds a value the models do not implement is refused in one line naming the file, the key and the
/// value, never ignored.
/// </summary>
internal static class ModelConfigReader
{
    private const string SupportedTypes = "llama, mistral, qwen2, qwen3, phi3 or gpt2";
    private const string SupportedActivations = "silu, gelu, gelu_new or gelu_pytorch_tanh";
    private const string GenerationConfigFile = "generation_config.json";

    public static ModelConfig Read(string path)
    {
        var root = ReadObject(path, "model config");

        var type = root.TryGetProperty("model_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
        var config = type switch
        {
            "llama" or "mistral" or "qwen2" or "qwen3" or "phi3" => LlamaFamily(root, type, path),
            "gpt2" => Gpt2(root, path),
            _ => throw new CurationException($"{path}: model_type '{type}' is not supported; expected {SupportedTypes}"),
        };
        return config with { EndOfSequenceIds = EndOfSequenceIds(root, path) };
    }

    private static JsonElement ReadObject(string path, string what)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CurationException($"{path}: cannot read the {what}: {ex.Message}", ex);
        }

        return root.ValueKind == JsonValueKind.Object ? root : throw new CurationException($"{path}: not a {what} (expected a JSON object)");
    }

    // transformers builds the generation config from config.json, and generation_config.json, where the checkpoint
    // has one, sets it instead: its eos_token_id wins when it gives one.
    private static List<int> EndOfSequenceIds(JsonElement root, string path)
    {
        var generationPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, GenerationConfigFile);
        if (File.Exists(generationPath))
        {
            if (IdsOf(ReadObject(generationPath, "generation config"), "eos_token_id", generationPath) is { } fromGeneration)
            {
                return fromGeneration;
            }
        }

        return IdsOf(root, "eos_token_id", path) ?? [];
    }

    // A token id or a list of them; null where the key is absent or null.
    private static List<int>? IdsOf(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var ids = new List<int>();
        foreach (var element in value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : new List<JsonElement> { value })
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var id) || id < 0)
            {
                throw new CurationException($"{path}: '{name}' is {value.GetRawText()}; expected a token id or a list of token ids");
            }

            ids.Add(id);
        }

        return ids;
    }

    private static ModelConfig LlamaFamily(JsonElement root, string type, string path)
    {
        var hidden = Int(root, "hidden_size", path);
        var heads = Int(root, "num_attention_heads", path);
        var layers = Int(root, "num_hidden_layers", path);

        // Qwen3Config's head_dim defaults to 128, the others' to hidden / heads.
        var headDim = OptionalInt(root, "head_dim") ?? (type == "qwen3" ? 128 : hidden / heads);
        var rope = Rope(root, type, headDim, path);
        var attentionBias = OptionalBool(root, "attention_bias", path) ?? false;
        var (qkvBias, outputBias, mlpBias) = type switch
        {
            "llama" => (attentionBias, attentionBias, OptionalBool(root, "mlp_bias", path) ?? false),
            "qwen2" => (true, false, false),
            "qwen3" => (attentionBias, attentionBias, false),

            // MistralAttention and Phi3Attention have no biases whatever the config says.
            _ => (false, false, false),
        };
        var (window, windowLayers) = SlidingWindow(root, type, layers, path);
        return new ModelConfig
        {
            Architecture = type == "phi3" ? ModelArchitecture.Phi3 : ModelArchitecture.Llama,
            ModelType = type,
            VocabSize = Int(root, "vocab_size", path),
            HiddenSize = hidden,
            IntermediateSize = Int(root, "intermediate_size", path),
            Layers = layers,
            Heads = heads,
            KeyValueHeads = OptionalInt(root, "num_key_value_heads") ?? heads,
            HeadDim = headDim,
            MaxPositions = OptionalInt(root, "max_position_embeddings") ?? DefaultMaxPositions(type),
            NormEpsilon = OptionalDouble(root, "rms_norm_eps") ?? (type == "phi3" ? 1e-5 : 1e-6),
            RopeTheta = rope.Theta,
            RopeScaling = rope.Scaling,
            RotaryDimOverride = rope.RotaryDim == headDim ? null : rope.RotaryDim,
            Activation = ActivationOf(root, "hidden_act", "silu", path),
            AttentionBias = qkvBias,
            OutputBias = outputBias,
            MlpBias = mlpBias,
            QueryKeyNorm = type == "qwen3",
            SlidingWindow = window,
            SlidingWindowLayers = windowLayers,
            TieWordEmbeddings = OptionalBool(root, "tie_word_embeddings", path) ?? false,
        };
    }

    private static int DefaultMaxPositions(string type) => type switch
    {
        "mistral" => 4096 * 32,
        "qwen2" or "qwen3" => 32768,
        "phi3" => 4096,
        _ => 2048,
    };

    private sealed record RopeSettings(double Theta, Llama3RopeScaling? Scaling, int RotaryDim);

    // transformers 4.x writes rope_theta and rope_scaling; 5.x writes them together as rope_parameters.
    private static RopeSettings Rope(JsonElement root, string type, int headDim, string path)
    {
        var key = root.TryGetProperty("rope_parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object ? "rope_parameters" : "rope_scaling";
        JsonElement? rope = root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;
        var theta = OptionalDouble(root, "rope_theta") ?? (rope is { } r ? OptionalDouble(r, "rope_theta") : null) ?? 10000;
        var ropeType = rope is { } o ? OptionalString(o, "rope_type") ?? OptionalString(o, "type") ?? "default" : "default";
        Llama3RopeScaling? scaling = null;
        if (ropeType == "llama3")
        {
            var s = rope!.Value;
            scaling = new Llama3RopeScaling(Double(s, "factor", path), Double(s, "low_freq_factor", path), Double(s, "high_freq_factor", path), Int(s, "original_max_position_embeddings", path));
        }
        else if (ropeType != "default")
        {
            throw new CurationException($"{path}: {key} type '{ropeType}' is not supported; expected default or llama3");
        }

        var factor = OptionalDouble(root, "partial_rotary_factor") ?? (rope is { } p ? OptionalDouble(p, "partial_rotary_factor") : null) ?? 1.0;
        var rotaryDim = (int)(headDim * factor);
        if (factor != 1.0 && (type != "phi3" || factor is <= 0 or > 1 || rotaryDim % 2 != 0))
        {
            throw new CurationException(string.Create(
                CultureInfo.InvariantCulture,
                $"{path}: partial_rotary_factor {factor} is not supported{(type == "phi3" ? $"; it must leave an even number of rotated dimensions in (0, {headDim}]" : $" for {type}")}"));
        }

        return new RopeSettings(theta, scaling, rotaryDim);
    }

    // Mistral and Phi-3 apply sliding_window to every layer when it is set. Qwen2 and Qwen3 apply it only with
    // use_sliding_window, to the layers layer_types marks, or else to those at or above max_window_layers.
    private static (int? Window, IReadOnlyList<int> Layers) SlidingWindow(JsonElement root, string type, int layers, string path)
    {
        if (type is "llama")
        {
            return (null, []);
        }

        var qwen = type is "qwen2" or "qwen3";
        if (qwen && OptionalBool(root, "use_sliding_window", path) != true)
        {
            return (null, []);
        }

        var window = root.TryGetProperty("sliding_window", out var value) && value.ValueKind != JsonValueKind.Null
            ? OptionalInt(root, "sliding_window") ?? throw new CurationException($"{path}: 'sliding_window' is not an integer")
            : qwen ? 4096 : (int?)null;
        if (window is null)
        {
            return (null, []);
        }

        if (window < 1)
        {
            throw new CurationException(string.Create(CultureInfo.InvariantCulture, $"{path}: sliding_window {window} is not supported; expected 1 or more (or null)"));
        }

        if (!qwen)
        {
            return (window, [.. Enumerable.Range(0, layers)]);
        }

        if (root.TryGetProperty("layer_types", out var types) && types.ValueKind == JsonValueKind.Array)
        {
            var names = types.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
            var unknown = names.FirstOrDefault(n => n is not ("full_attention" or "sliding_attention"));
            if (unknown is not null)
            {
                throw new CurationException($"{path}: layer_types entry '{unknown}' is not supported; expected full_attention or sliding_attention");
            }

            if (names.Count != layers)
            {
                throw new CurationException(string.Create(CultureInfo.InvariantCulture, $"{path}: layer_types has {names.Count} entries; num_hidden_layers is {layers}"));
            }

            return (window, [.. names.Select((name, i) => (name, i)).Where(x => x.name == "sliding_attention").Select(x => x.i)]);
        }

        var first = OptionalInt(root, "max_window_layers") ?? 28;
        return (window, [.. Enumerable.Range(0, layers).Where(i => i >= first)]);
    }

    private static ModelConfig Gpt2(JsonElement root, string path)
    {
        var hidden = Int(root, "n_embd", path);
        var heads = Int(root, "n_head", path);
        if (OptionalBool(root, "add_cross_attention", path) == true)
        {
            throw new CurationException($"{path}: add_cross_attention true is not supported; expected a decoder-only GPT-2");
        }

        if (OptionalBool(root, "tie_word_embeddings", path) == false)
        {
            throw new CurationException($"{path}: tie_word_embeddings false is not supported for gpt2; its output layer is the token embedding");
        }

        // reorder_and_upcast_attn only changes where fp16 scores are upcast; in float32 it computes the same.
        OptionalBool(root, "reorder_and_upcast_attn", path);
        return new ModelConfig
        {
            Architecture = ModelArchitecture.Gpt2,
            ModelType = "gpt2",
            VocabSize = Int(root, "vocab_size", path),
            HiddenSize = hidden,
            IntermediateSize = OptionalInt(root, "n_inner") ?? 4 * hidden,
            Layers = Int(root, "n_layer", path),
            Heads = heads,
            KeyValueHeads = heads,
            HeadDim = hidden / heads,
            MaxPositions = OptionalInt(root, "n_positions") ?? 1024,
            NormEpsilon = OptionalDouble(root, "layer_norm_epsilon") ?? 1e-5,
            Activation = ActivationOf(root, "activation_function", "gelu_new", path),
            ScaleAttentionWeights = OptionalBool(root, "scale_attn_weights", path) ?? true,
            ScaleAttentionByInverseLayer = OptionalBool(root, "scale_attn_by_inverse_layer_idx", path) ?? false,
            TieWordEmbeddings = true,
        };
    }

    private static Activation ActivationOf(JsonElement root, string key, string fallback, string path)
    {
        var name = root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : fallback;
        return name switch
        {
            "silu" or "swish" => Activation.Silu,
            "gelu" => Activation.Gelu,
            "gelu_new" or "gelu_pytorch_tanh" => Activation.GeluTanh,
            _ => throw new CurationException($"{path}: {key} '{name}' is not supported; expected {SupportedActivations}"),
        };
    }

    private static int Int(JsonElement root, string name, string path) =>
        OptionalInt(root, name) ?? throw new CurationException($"{path}: '{name}' is missing or not an integer");

    private static int? OptionalInt(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static double Double(JsonElement root, string name, string path) =>
        OptionalDouble(root, name) ?? throw new CurationException($"{path}: '{name}' is missing or not a number");

    private static double? OptionalDouble(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? OptionalBool(JsonElement root, string name, string path) =>
        !root.TryGetProperty(name, out var value) ? null : value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw new CurationException($"{path}: '{name}' is {value.GetRawText()}; expected true or false"),
        };
}
