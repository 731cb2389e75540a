using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Training.Checkpoints;
using Curation.Training.Tests.Reference;
using Curation.TestKit;

namespace Curation.Training.Tests.Checkpoints;

/// <summary>A config key that changes the math is read with transformers' semantics, or refused by name: never ignored.</summary>
public sealed class ModelConfigTests
{
    private static ModelConfig Load(TempFolder folder, JsonObject config) =>
        ModelConfig.Load(folder.Write("config.json", config.ToJsonString()));

    public static TheoryData<string, string, string> Refused => new()
    {
        { "llama", """{"hidden_act": "relu"}""", "hidden_act 'relu' is not supported; expected silu, gelu, gelu_new or gelu_pytorch_tanh" },
        { "phi3", """{"hidden_act": "gelu_fast"}""", "hidden_act 'gelu_fast' is not supported; expected silu, gelu, gelu_new or gelu_pytorch_tanh" },
        { "gpt2", """{"activation_function": "relu"}""", "activation_function 'relu' is not supported; expected silu, gelu, gelu_new or gelu_pytorch_tanh" },
        { "gpt2", """{"add_cross_attention": true}""", "add_cross_attention true is not supported; expected a decoder-only GPT-2" },
        { "gpt2", """{"tie_word_embeddings": false}""", "tie_word_embeddings false is not supported for gpt2; its output layer is the token embedding" },
        { "llama", """{"rope_scaling": {"rope_type": "linear", "factor": 2.0}}""", "rope_scaling type 'linear' is not supported; expected default or llama3" },
        { "qwen3", """{"rope_parameters": {"rope_type": "yarn", "factor": 4.0}}""", "rope_parameters type 'yarn' is not supported; expected default or llama3" },
        { "phi3", """{"rope_scaling": {"type": "longrope", "short_factor": [1.0], "long_factor": [1.0]}}""", "rope_scaling type 'longrope' is not supported; expected default or llama3" },
        { "llama", """{"partial_rotary_factor": 0.5}""", "partial_rotary_factor 0.5 is not supported for llama" },
        { "phi3", """{"partial_rotary_factor": 0.1}""", "partial_rotary_factor 0.1 is not supported; it must leave an even number of rotated dimensions in (0, 16]" },
        { "mistral", """{"sliding_window": 0}""", "sliding_window 0 is not supported; expected 1 or more (or null)" },
        { "qwen2", """{"use_sliding_window": true, "layer_types": ["full_attention", "chunked_attention", "full_attention", "full_attention"]}""", "layer_types entry 'chunked_attention' is not supported; expected full_attention or sliding_attention" },
        { "qwen3", """{"use_sliding_window": true, "layer_types": ["full_attention"]}""", "layer_types has 1 entries; num_hidden_layers is 4" },
        { "llama", """{"attention_bias": "yes"}""", "'attention_bias' is \"yes\"; expected true or false" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void UnsupportedValue_IsOneLineNamingTheFileKeyAndValue(string modelType, string changes, string expected)
    {
        using var folder = new TempFolder();
        var config = Base(modelType);
        foreach (var (key, value) in JsonNode.Parse(changes)!.AsObject())
        {
            config[key] = value?.DeepClone();
        }

        var error = Assert.Throws<CurationException>(() => Load(folder, config));

        Assert.Equal($"{folder.File("config.json")}: {expected}", error.Message);
    }

    [Fact]
    public void Biases_FollowEachModelType()
    {
        using var folder = new TempFolder();
        var llama = Load(folder, TinyCheckpoints.Llama().With(("attention_bias", true), ("mlp_bias", true)));
        var qwen2 = Load(folder, TinyCheckpoints.Qwen2().With(("attention_bias", true)));
        var qwen3 = Load(folder, TinyCheckpoints.Qwen3().With(("attention_bias", true), ("mlp_bias", true)));
        var mistral = Load(folder, TinyCheckpoints.Mistral(null).With(("attention_bias", true), ("mlp_bias", true)));

        Assert.Equal((true, true, true), (llama.AttentionBias, llama.OutputBias, llama.MlpBias));
        Assert.Equal((true, false, false), (qwen2.AttentionBias, qwen2.OutputBias, qwen2.MlpBias));
        Assert.Equal((true, true, false), (qwen3.AttentionBias, qwen3.OutputBias, qwen3.MlpBias));
        Assert.Equal((false, false, false), (mistral.AttentionBias, mistral.OutputBias, mistral.MlpBias));
    }

    [Fact]
    public void SlidingWindow_LayersFollowTransformers()
    {
        using var folder = new TempFolder();
        var mistral = Load(folder, TinyCheckpoints.Mistral(slidingWindow: 7));
        var qwenOff = Load(folder, TinyCheckpoints.Qwen2().With(("sliding_window", 7), ("max_window_layers", 1)));
        var qwenOn = Load(folder, TinyCheckpoints.Qwen2().With(("use_sliding_window", true), ("sliding_window", 7), ("max_window_layers", 3)));
        var qwenDefault = Load(folder, TinyCheckpoints.Qwen3().With(("use_sliding_window", true)).Without("sliding_window", "max_window_layers"));
        var llama = Load(folder, TinyCheckpoints.Llama().With(("sliding_window", 7)));

        Assert.Equal([7, 7, 7, 7], Enumerable.Range(0, 4).Select(mistral.WindowOf));
        Assert.All(Enumerable.Range(0, 4), layer => Assert.Null(qwenOff.WindowOf(layer)));
        Assert.Equal([null, null, null, 7], Enumerable.Range(0, 4).Select(qwenOn.WindowOf));

        // Qwen's defaults: sliding_window 4096 from layer 28 on, so none of four layers.
        Assert.Equal(4096, qwenDefault.SlidingWindow);
        Assert.Empty(qwenDefault.SlidingWindowLayers);
        Assert.Null(llama.SlidingWindow);
    }

    [Fact]
    public void Qwen3HeadDim_DefaultsTo128_Phi3RotaryDim_FollowsPartialFactor()
    {
        using var folder = new TempFolder();
        Assert.Equal(128, Load(folder, TinyCheckpoints.Qwen3().Without("head_dim")).HeadDim);
        Assert.Equal(8, Load(folder, TinyCheckpoints.Qwen2()).HeadDim);
        var phi3 = Load(folder, TinyCheckpoints.Phi3().With(("partial_rotary_factor", 0.75)));
        Assert.Equal((16, 12), (phi3.HeadDim, phi3.RotaryDim));
        Assert.Equal(ModelArchitecture.Phi3, phi3.Architecture);
    }

    /// <summary>A window at least as long as the sequence changes nothing (and Qwen ignores it without use_sliding_window).</summary>
    [Fact]
    public void Window_AtLeastTheSequence_GivesTheSameLogitsAsNone()
    {
        using var folder = new TempFolder();
        var weights = TinyCheckpoints.Write(folder.File("none"), TinyCheckpoints.Mistral(slidingWindow: null), seed: 4);
        var wide = folder.File("wide");
        Directory.CreateDirectory(wide);
        File.Copy(Path.Combine(weights, Checkpoint.SingleFile), Path.Combine(wide, Checkpoint.SingleFile));
        File.WriteAllText(Path.Combine(wide, Checkpoint.ConfigFile), TinyCheckpoints.Mistral(slidingWindow: PlainTorchReference.Ids[0].Length).ToJsonString());
        var narrow = folder.File("narrow");
        Directory.CreateDirectory(narrow);
        File.Copy(Path.Combine(weights, Checkpoint.SingleFile), Path.Combine(narrow, Checkpoint.SingleFile));
        File.WriteAllText(Path.Combine(narrow, Checkpoint.ConfigFile), TinyCheckpoints.Mistral(slidingWindow: 3).ToJsonString());

        using var none = Checkpoint.Open(weights).LoadModel();
        using var same = Checkpoint.Open(wide).LoadModel();
        using var banded = Checkpoint.Open(narrow).LoadModel();

        Assert.Equal(PlainTorchReference.Logits(none), PlainTorchReference.Logits(same));
        Assert.True(PlainTorchReference.MaxDifference(PlainTorchReference.Logits(none), PlainTorchReference.Logits(banded)) > 1e-3);
    }

    private static JsonObject Base(string modelType) => modelType switch
    {
        "llama" => TinyCheckpoints.Llama(),
        "mistral" => TinyCheckpoints.Mistral(null),
        "qwen2" => TinyCheckpoints.Qwen2(),
        "qwen3" => TinyCheckpoints.Qwen3(),
        "phi3" => TinyCheckpoints.Phi3(),
        _ => TinyCheckpoints.Gpt2(),
    };
}
