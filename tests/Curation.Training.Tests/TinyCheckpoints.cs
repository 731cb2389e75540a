using System.Text.Json.Nodes;
using Curation.Training.Checkpoints;
using Curation.Training.Models;
using Curation.Training.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Curation.Training.Tests;

/// <summary>Small Hugging Face checkpoints with seeded random weights, written by the tests.</summary>
internal static class TinyCheckpoints
{
    /// <summary>Every tiny model has this many layers: enough that a layer's mask or cache depends on more than the first.</summary>
    public const int Layers = 4;

    public static JsonObject Llama(bool tied = false, bool llama3Scaling = true, int keyValueHeads = 2) => new()
    {
        ["model_type"] = "llama",
        ["architectures"] = new JsonArray("LlamaForCausalLM"),
        ["vocab_size"] = 97,
        ["hidden_size"] = 64,
        ["intermediate_size"] = 128,
        ["num_hidden_layers"] = Layers,
        ["num_attention_heads"] = 4,
        ["num_key_value_heads"] = keyValueHeads,
        ["max_position_embeddings"] = 64,
        ["rms_norm_eps"] = 1e-5,
        ["rope_theta"] = 10000.0,
        ["rope_scaling"] = llama3Scaling
            ? new JsonObject { ["rope_type"] = "llama3", ["factor"] = 8.0, ["low_freq_factor"] = 1.0, ["high_freq_factor"] = 4.0, ["original_max_position_embeddings"] = 16 }
            : null,
        ["tie_word_embeddings"] = tied,
    };

    public static JsonObject Mistral(int? slidingWindow) => new()
    {
        ["model_type"] = "mistral",
        ["architectures"] = new JsonArray("MistralForCausalLM"),
        ["vocab_size"] = 79,
        ["hidden_size"] = 64,
        ["intermediate_size"] = 112,
        ["num_hidden_layers"] = Layers,
        ["num_attention_heads"] = 4,
        ["num_key_value_heads"] = 1,
        ["max_position_embeddings"] = 64,
        ["rms_norm_eps"] = 1e-5,
        ["rope_theta"] = 10000.0,
        ["sliding_window"] = slidingWindow,
        ["tie_word_embeddings"] = false,
    };

    public static JsonObject Qwen2() => new()
    {
        ["model_type"] = "qwen2",
        ["vocab_size"] = 89,
        ["hidden_size"] = 48,
        ["intermediate_size"] = 96,
        ["num_hidden_layers"] = Layers,
        ["num_attention_heads"] = 6,
        ["num_key_value_heads"] = 2,
        ["max_position_embeddings"] = 64,
        ["rms_norm_eps"] = 1e-6,
        ["rope_theta"] = 1000000.0,
        ["tie_word_embeddings"] = true,
    };

    /// <summary>Qwen3 with head_dim 16, not hidden / heads (12), as Qwen3's configs have it.</summary>
    public static JsonObject Qwen3() => new()
    {
        ["model_type"] = "qwen3",
        ["architectures"] = new JsonArray("Qwen3ForCausalLM"),
        ["vocab_size"] = 83,
        ["hidden_size"] = 48,
        ["intermediate_size"] = 96,
        ["num_hidden_layers"] = Layers,
        ["num_attention_heads"] = 4,
        ["num_key_value_heads"] = 2,
        ["head_dim"] = 16,
        ["max_position_embeddings"] = 64,
        ["rms_norm_eps"] = 1e-6,
        ["rope_theta"] = 1000000.0,
        ["hidden_act"] = "silu",
        ["attention_bias"] = false,
        ["use_sliding_window"] = false,
        ["sliding_window"] = null,
        ["max_window_layers"] = 28,
        ["tie_word_embeddings"] = true,
    };

    public static JsonObject Phi3() => new()
    {
        ["model_type"] = "phi3",
        ["architectures"] = new JsonArray("Phi3ForCausalLM"),
        ["vocab_size"] = 91,
        ["hidden_size"] = 64,
        ["intermediate_size"] = 112,
        ["num_hidden_layers"] = Layers,
        ["num_attention_heads"] = 4,
        ["num_key_value_heads"] = 2,
        ["max_position_embeddings"] = 64,
        ["original_max_position_embeddings"] = 64,
        ["rms_norm_eps"] = 1e-5,
        ["rope_theta"] = 10000.0,
        ["rope_scaling"] = null,
        ["hidden_act"] = "silu",
        ["sliding_window"] = null,
        ["tie_word_embeddings"] = false,
    };

    public static JsonObject Gpt2() => new()
    {
        ["model_type"] = "gpt2",
        ["vocab_size"] = 101,
        ["n_embd"] = 48,
        ["n_head"] = 4,
        ["n_layer"] = Layers,
        ["n_positions"] = 32,
        ["layer_norm_epsilon"] = 1e-5,
    };

    /// <summary>The config with <paramref name="changes"/> set (a null value writes JSON null).</summary>
    public static JsonObject With(this JsonObject config, params (string Key, JsonNode? Value)[] changes)
    {
        ArgumentNullException.ThrowIfNull(config);
        var copy = config.DeepClone().AsObject();
        foreach (var (key, value) in changes)
        {
            copy[key] = value?.DeepClone();
        }

        return copy;
    }

    /// <summary>The config without <paramref name="keys"/>.</summary>
    public static JsonObject Without(this JsonObject config, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(config);
        var copy = config.DeepClone().AsObject();
        foreach (var key in keys)
        {
            copy.Remove(key);
        }

        return copy;
    }

    /// <summary>Writes config.json and random weights (norms and biases random too, so every parameter matters).</summary>
    public static string Write(string folder, JsonObject config, long seed = 1, TensorDType dtype = TensorDType.F32, long? shardBytes = null)
    {
        TorchRuntime.EnsureLoaded();
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Checkpoint.ConfigFile), config.ToJsonString());
        var model = CausalLm.Create(ModelConfig.Load(Path.Combine(folder, Checkpoint.ConfigFile)));
        var generator = new Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters())
            {
                // Scalars held for the call: a converted number could be freed while libtorch reads it.
                using var scale = (name.Contains("norm", StringComparison.Ordinal) || name.Contains("ln_", StringComparison.Ordinal) ? 0.2 : 0.08).ToScalar();
                using var offset = (name.EndsWith("norm.weight", StringComparison.Ordinal) || (name.Contains("ln_", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal)) ? 1.0 : 0.0).ToScalar();
                parameter.copy_((randn(parameter.shape, generator: generator) * scale).add(offset, Constants.One));
            }
        }

        Checkpoint.WriteWeights(model, folder, dtype, shardBytes);
        model.Dispose();
        return folder;
    }
}
