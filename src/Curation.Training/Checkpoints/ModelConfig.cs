using System.Globalization;
using Curation.Core;

namespace Curation.Training.Checkpoints;

/// <summary>The model families the trainer implements.</summary>
public enum ModelArchitecture
{
    /// <summary>Llama, Mistral, SmolLM, Qwen2, Qwen3: RMSNorm, RoPE, SwiGLU, grouped-query attention.</summary>
    Llama,

    /// <summary>GPT-2: LayerNorm, learned positions, Conv1D weights stored transposed.</summary>
    Gpt2,

    /// <summary>Phi-3: the Llama layout with fused <c>qkv_proj</c> and <c>gate_up_proj</c> projections.</summary>
    Phi3,
}

/// <summary>The MLP's activation: <c>hidden_act</c> (Llama family) or <c>activation_function</c> (GPT-2).</summary>
public enum Activation
{
    /// <summary><c>silu</c> (<c>swish</c>).</summary>
    Silu,

    /// <summary><c>gelu</c>: the exact GELU, with erf.</summary>
    Gelu,

    /// <summary><c>gelu_new</c>, <c>gelu_pytorch_tanh</c>: GELU's tanh approximation.</summary>
    GeluTanh,
}

/// <summary>Llama 3's RoPE frequency scaling (<c>rope_scaling</c> with <c>rope_type: llama3</c>).</summary>
public sealed record Llama3RopeScaling(double Factor, double LowFrequencyFactor, double HighFrequencyFactor, int OriginalMaxPositions);

/// <summary>
/// A Hugging Face <c>config.json</c>, reduced to what the forward pass needs. Every key that changes the computation
/// is read; a value the models do not implement is refused by name (see <see cref="ModelConfigReader"/>).
/// </summary>
public sealed record ModelConfig
{
    public required ModelArchitecture Architecture { get; init; }

    /// <summary>The config's <c>model_type</c> (llama, mistral, qwen2, qwen3, phi3, gpt2).</summary>
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

    /// <summary>How many of each head's dimensions RoPE rotates (Phi-3's <c>partial_rotary_factor</c>); the rest pass unrotated.</summary>
    public int RotaryDim => RotaryDimOverride ?? HeadDim;

    public int? RotaryDimOverride { get; init; }

    public Activation Activation { get; init; } = Activation.Silu;

    /// <summary>Biases on the q, k and v projections (Qwen2; Llama's and Qwen3's <c>attention_bias</c>).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>A bias on the output projection (Llama's and Qwen3's <c>attention_bias</c>; not Qwen2's).</summary>
    public bool OutputBias { get; init; }

    /// <summary>Biases on gate, up and down (Llama's <c>mlp_bias</c>).</summary>
    public bool MlpBias { get; init; }

    /// <summary>RMSNorm of each query and key head before RoPE (Qwen3's <c>q_norm</c>, <c>k_norm</c>).</summary>
    public bool QueryKeyNorm { get; init; }

    /// <summary>Keys a position attends to, itself included, in the layers <see cref="SlidingWindowLayers"/> lists.</summary>
    public int? SlidingWindow { get; init; }

    public IReadOnlyList<int> SlidingWindowLayers { get; init; } = [];

    /// <summary>GPT-2's <c>scale_attn_weights</c>: scores divided by √(head dim).</summary>
    public bool ScaleAttentionWeights { get; init; } = true;

    /// <summary>GPT-2's <c>scale_attn_by_inverse_layer_idx</c>: layer i's scores also divided by i + 1.</summary>
    public bool ScaleAttentionByInverseLayer { get; init; }

    public bool TieWordEmbeddings { get; init; }

    /// <summary>
    /// The ids that end a sequence: <c>eos_token_id</c> (an integer or a list) of <c>generation_config.json</c> beside
    /// the config where it sets one, else of <c>config.json</c>; empty when neither does.
    /// </summary>
    public IReadOnlyList<int> EndOfSequenceIds { get; init; } = [];

    /// <summary>The config key that holds <see cref="MaxPositions"/>.</summary>
    public string MaxPositionsKey => Architecture == ModelArchitecture.Gpt2 ? "n_positions" : "max_position_embeddings";

    /// <summary>The sliding window of layer <paramref name="layer"/>, or null where it attends to every earlier position.</summary>
    public int? WindowOf(int layer) => SlidingWindow is { } window && SlidingWindowLayers.Contains(layer) ? window : null;

    /// <exception cref="CurationException">Missing file, unknown model type, a missing key or a value not implemented; the message names it.</exception>
    public static ModelConfig Load(string path) => ModelConfigReader.Read(path);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{ModelType}: {Layers} layers, hidden {HiddenSize}, {Heads} heads ({KeyValueHeads} key/value), head dim {HeadDim}, MLP {IntermediateSize}, vocab {VocabSize}");
}
