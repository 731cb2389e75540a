using System.Globalization;
using System.Text.Json;
using Curation.Core;

namespace Curation.Training.Checkpoints;

/// <summary>The model families the trainer implements.</summary>
public enum ModelArchitecture
{
    /// <summary>Llama, Mistral, SmolLM, Qwen2: RMSNorm, RoPE, SwiGLU, grouped-query attention.</summary>
    Llama,

    /// <summary>GPT-2: LayerNorm, learned positions, Conv1D weights stored transposed.</summary>
    Gpt2,
}

/// <summary>Llama 3's RoPE frequency scaling (<c>rope_scaling</c> with <c>rope_type: llama3</c>).</summary>
public sealed record Llama3RopeScaling(double Factor, double LowFrequencyFactor, double HighFrequencyFactor, int OriginalMaxPositions);

/// <summary>A Hugging Face <c>config.json</c>, reduced to what the forward pass needs.</summary>
public sealed record ModelConfig
{
    public required ModelArchitecture Architecture { get; init; }

    /// <summary>The config's <c>model_type</c> (llama, mistral, qwen2, gpt2).</summary>
    public required string ModelType { get; init; }

    public required int VocabSize { get; init; }

    public required int HiddenSize { get; init; }

    public required int IntermediateSize { get; init; }

    public required int Layers { get; init; }

    public required int Heads { get; init; }

    public required int KeyValueHeads { get; init; }

    public required int HeadDim { get; init; }

    public required int MaxPositions { get; init; }

    public double NormEpsilon { get; init; } = 1e-5;

    public double RopeTheta { get; init; } = 10000;

    public Llama3RopeScaling? RopeScaling { get; init; }

    /// <summary>Biases on the q, k and v projections (Qwen2; Llama's <c>attention_bias</c>).</summary>
    public bool AttentionBias { get; init; }

    public bool TieWordEmbeddings { get; init; }

    /// <exception cref="CurationException">Missing file, unknown model type or a missing key; the message names it.</exception>
    public static ModelConfig Load(string path)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            throw new CurationException($"{path}: cannot read the model config: {ex.Message}", ex);
        }

        var type = root.TryGetProperty("model_type", out var t) ? t.GetString() ?? string.Empty : string.Empty;
        return type switch
        {
            "llama" or "mistral" or "qwen2" => Llama(root, type, path),
            "gpt2" => Gpt2(root, path),
            _ => throw new CurationException($"{path}: model_type '{type}' is not supported; expected llama, mistral, qwen2 or gpt2"),
        };
    }

    private static ModelConfig Llama(JsonElement root, string type, string path)
    {
        var hidden = Int(root, "hidden_size", path);
        var heads = Int(root, "num_attention_heads", path);
        Llama3RopeScaling? scaling = null;
        if (root.TryGetProperty("rope_scaling", out var rope) && rope.ValueKind == JsonValueKind.Object)
        {
            var ropeType = rope.TryGetProperty("rope_type", out var rt) ? rt.GetString() : rope.TryGetProperty("type", out var tt) ? tt.GetString() : null;
            if (ropeType is not ("llama3" or "default"))
            {
                throw new CurationException($"{path}: rope_scaling type '{ropeType}' is not supported; expected llama3");
            }

            if (ropeType == "llama3")
            {
                scaling = new Llama3RopeScaling(
                    Double(rope, "factor", path), Double(rope, "low_freq_factor", path), Double(rope, "high_freq_factor", path), Int(rope, "original_max_position_embeddings", path));
            }
        }

        return new ModelConfig
        {
            Architecture = ModelArchitecture.Llama,
            ModelType = type,
            VocabSize = Int(root, "vocab_size", path),
            HiddenSize = hidden,
            IntermediateSize = Int(root, "intermediate_size", path),
            Layers = Int(root, "num_hidden_layers", path),
            Heads = heads,
            KeyValueHeads = OptionalInt(root, "num_key_value_heads") ?? heads,
            HeadDim = OptionalInt(root, "head_dim") ?? hidden / heads,
            MaxPositions = OptionalInt(root, "max_position_embeddings") ?? 2048,
            NormEpsilon = OptionalDouble(root, "rms_norm_eps") ?? 1e-6,
            RopeTheta = OptionalDouble(root, "rope_theta") ?? 10000,
            RopeScaling = scaling,
            AttentionBias = type == "qwen2" || (root.TryGetProperty("attention_bias", out var bias) && bias.ValueKind == JsonValueKind.True),
            TieWordEmbeddings = root.TryGetProperty("tie_word_embeddings", out var tie) && tie.ValueKind == JsonValueKind.True,
        };
    }

    private static ModelConfig Gpt2(JsonElement root, string path)
    {
        var hidden = Int(root, "n_embd", path);
        var heads = Int(root, "n_head", path);
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
            TieWordEmbeddings = !root.TryGetProperty("tie_word_embeddings", out var tie) || tie.ValueKind != JsonValueKind.False,
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

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{ModelType}: {Layers} layers, hidden {HiddenSize}, {Heads} heads ({KeyValueHeads} key/value), head dim {HeadDim}, MLP {IntermediateSize}, vocab {VocabSize}");
}
