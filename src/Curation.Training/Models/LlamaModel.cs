using Curation.Training.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Curation.Training.Models;

/// <summary>Root-mean-square layer norm, computed in float32 as Hugging Face's <c>LlamaRMSNorm</c>.</summary>
public sealed class RmsNorm : Module<Tensor, Tensor>
{
    // A field, not a converted double: TorchSharp's implicit Scalar could be finalized while libtorch still reads it.
    private readonly Scalar _epsilon;

    public RmsNorm(int size, double epsilon)
        : base(nameof(RmsNorm))
    {
        _epsilon = epsilon.ToScalar();
        register_parameter("weight", Parameter(ones(size)));
    }

    // Looked up, not kept in a field: Module.to(device or dtype) replaces the registered parameter.
    private Parameter Weight => get_parameter("weight")!;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = input.to(float32);
        var variance = hidden.pow(Constants.Two).mean([-1], keepdim: true);
        hidden = hidden * rsqrt(variance.add(_epsilon, Constants.One));
        return (Weight * hidden.to(input.dtype)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Rotary position embeddings, with Llama 3's frequency scaling when the config has it. With Phi-3's
/// <c>partial_rotary_factor</c> only the first <see cref="ModelConfig.RotaryDim"/> dimensions of each head rotate.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] _inverseFrequencies;

    public RotaryEmbedding(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var dim = config.RotaryDim;
        _inverseFrequencies = new float[dim / 2];
        for (var i = 0; i < dim / 2; i++)
        {
            var frequency = 1.0 / Math.Pow(config.RopeTheta, (float)(2 * i) / dim);
            if (config.RopeScaling is { } scaling)
            {
                frequency = Llama3Scaled(frequency, scaling);
            }

            _inverseFrequencies[i] = (float)frequency;
        }
    }

    // transformers' _compute_llama3_parameters: long wavelengths are divided by the factor, short ones kept, the band
    // between smoothly interpolated.
    private static double Llama3Scaled(double frequency, Llama3RopeScaling scaling)
    {
        var lowFrequencyWavelength = scaling.OriginalMaxPositions / scaling.LowFrequencyFactor;
        var highFrequencyWavelength = scaling.OriginalMaxPositions / scaling.HighFrequencyFactor;
        var wavelength = 2 * Math.PI / frequency;
        if (wavelength < highFrequencyWavelength)
        {
            return frequency;
        }

        if (wavelength > lowFrequencyWavelength)
        {
            return frequency / scaling.Factor;
        }

        var smooth = ((scaling.OriginalMaxPositions / wavelength) - scaling.LowFrequencyFactor) / (scaling.HighFrequencyFactor - scaling.LowFrequencyFactor);
        return ((1 - smooth) * frequency / scaling.Factor) + (smooth * frequency);
    }

    /// <summary>cos and sin [time, rotary dim] for positions start..start+length-1.</summary>
    public (Tensor Cos, Tensor Sin) At(long start, long length, Device device)
    {
        using var scope = NewDisposeScope();
        using var first = start.ToScalar();
        using var end = (start + length).ToScalar();
        var positions = arange(first, end, dtype: float32, device: device);
        var frequencies = outer(positions, tensor(_inverseFrequencies, device: device));
        var angles = cat([frequencies, frequencies], -1);
        return (angles.cos().MoveToOuterDisposeScope(), angles.sin().MoveToOuterDisposeScope());
    }

    /// <summary>cos and sin [rows, 1, time, rotary dim] for each row's own positions [rows, time] (a batch of padded sequences).</summary>
    public (Tensor Cos, Tensor Sin) At(Tensor positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        using var scope = NewDisposeScope();
        var frequencies = positions.to(float32).unsqueeze(-1) * tensor(_inverseFrequencies, device: positions.device);
        var angles = cat([frequencies, frequencies], -1).unsqueeze(1);
        return (angles.cos().MoveToOuterDisposeScope(), angles.sin().MoveToOuterDisposeScope());
    }

    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var rotary = cos.shape[^1];
        var headDim = x.shape[^1];

        // The angles are float32; as transformers does, they take the dtype of what they rotate.
        cos = cos.to(x.dtype);
        sin = sin.to(x.dtype);
        var rotating = rotary == headDim ? x : x.narrow(-1, 0, rotary);
        var halves = rotating.chunk(2, -1);
        var rotated = (rotating * cos).add(cat([-halves[1], halves[0]], -1) * sin, Constants.One);
        return (rotary == headDim ? rotated : cat([rotated, x.narrow(-1, rotary, headDim - rotary)], -1)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Grouped-query self-attention with rotary positions: q, k and v as separate projections (with biases where the
/// config has them) or fused in Phi-3's <c>qkv_proj</c>; Qwen3's per-head q/k RMSNorm before RoPE; the layer's sliding
/// window, if any.
/// </summary>
public sealed class LlamaAttention : Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly AdaptableLinear? _q;
    private readonly AdaptableLinear? _k;
    private readonly AdaptableLinear? _v;
    private readonly AdaptableLinear? _qkv;
    private readonly AdaptableLinear _o;
    private readonly RmsNorm? _qNorm;
    private readonly RmsNorm? _kNorm;
    private readonly int _heads;
    private readonly int _keyValueHeads;
    private readonly int _headDim;
    private readonly int? _window;

    public LlamaAttention(ModelConfig config, int layer)
        : base(nameof(LlamaAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.Heads;
        _keyValueHeads = config.KeyValueHeads;
        _headDim = config.HeadDim;
        _window = config.WindowOf(layer);
        if (config.Architecture == ModelArchitecture.Phi3)
        {
            _qkv = new AdaptableLinear(config.HiddenSize, (config.Heads + (2 * config.KeyValueHeads)) * config.HeadDim, bias: false);
            register_module("qkv_proj", _qkv);
        }
        else
        {
            _q = new AdaptableLinear(config.HiddenSize, config.Heads * config.HeadDim, bias: config.AttentionBias);
            _k = new AdaptableLinear(config.HiddenSize, config.KeyValueHeads * config.HeadDim, bias: config.AttentionBias);
            _v = new AdaptableLinear(config.HiddenSize, config.KeyValueHeads * config.HeadDim, bias: config.AttentionBias);
            register_module("q_proj", _q);
            register_module("k_proj", _k);
            register_module("v_proj", _v);
        }

        _o = new AdaptableLinear(config.Heads * config.HeadDim, config.HiddenSize, bias: config.OutputBias);
        register_module("o_proj", _o);
        if (config.QueryKeyNorm)
        {
            _qNorm = new RmsNorm(config.HeadDim, config.NormEpsilon);
            _kNorm = new RmsNorm(config.HeadDim, config.NormEpsilon);
            register_module("q_norm", _qNorm);
            register_module("k_norm", _kNorm);
        }
    }

    public override Tensor forward(Tensor hidden, Tensor cos, Tensor sin) => ForwardWithCache(hidden, cos, sin, null, 0);

    public Tensor ForwardWithCache(Tensor hidden, Tensor cos, Tensor sin, KeyValueCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var (batch, time) = (hidden.shape[0], hidden.shape[1]);
        var (q, k, v) = Project(hidden);
        q = q.view(batch, time, _heads, _headDim);
        k = k.view(batch, time, _keyValueHeads, _headDim);
        if (_qNorm is not null && _kNorm is not null)
        {
            q = _qNorm.forward(q);
            k = _kNorm.forward(k);
        }

        q = RotaryEmbedding.Apply(q.transpose(1, 2), cos, sin);
        k = RotaryEmbedding.Apply(k.transpose(1, 2), cos, sin);
        v = v.view(batch, time, _keyValueHeads, _headDim).transpose(1, 2);

        // This layer's own count: layers before it have already appended this pass's positions.
        var (mask, causal) = cache is null ? KeyValueCache.MaskFor(0, time, hidden.device, _window) : cache.MaskFor(layer, time, hidden.device, _window);
        if (cache is not null)
        {
            (k, v) = cache.Append(layer, k, v);
        }

        Tensor attended;
        if (_keyValueHeads != _heads && time == 1)
        {
            // One new position: the query heads that share a key/value head attend as that head's rows, so the
            // cache is read as it is instead of copied once per query head (q heads are grouped consecutively).
            var grouped = q.reshape(batch, _keyValueHeads, _heads / _keyValueHeads, _headDim);
            attended = functional.scaled_dot_product_attention(grouped, k, v, mask, 0.0, causal).reshape(batch, _heads, 1, _headDim);
        }
        else
        {
            if (_keyValueHeads != _heads)
            {
                k = k.repeat_interleave(_heads / _keyValueHeads, dim: 1);
                v = v.repeat_interleave(_heads / _keyValueHeads, dim: 1);
            }

            attended = functional.scaled_dot_product_attention(q, k, v, mask, 0.0, causal);
        }

        var merged = attended.transpose(1, 2).contiguous().view(batch, time, _heads * _headDim);
        return _o.forward(merged).MoveToOuterDisposeScope();
    }

    // Phi-3's qkv_proj output is q, then k, then v along the last dimension.
    private (Tensor Q, Tensor K, Tensor V) Project(Tensor hidden)
    {
        if (_qkv is null)
        {
            return (_q!.forward(hidden), _k!.forward(hidden), _v!.forward(hidden));
        }

        var parts = _qkv.forward(hidden).split([_heads * _headDim, _keyValueHeads * _headDim, _keyValueHeads * _headDim], -1);
        return (parts[0], parts[1], parts[2]);
    }
}

/// <summary>
/// Gated feed-forward: down(act(gate(x)) * up(x)), with gate and up separate or fused in Phi-3's <c>gate_up_proj</c>
/// (gate the first half of its output, up the second).
/// </summary>
public sealed class LlamaMlp : Module<Tensor, Tensor>
{
    private readonly AdaptableLinear? _gate;
    private readonly AdaptableLinear? _up;
    private readonly AdaptableLinear? _gateUp;
    private readonly AdaptableLinear _down;
    private readonly Activation _activation;

    public LlamaMlp(ModelConfig config)
        : base(nameof(LlamaMlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        _activation = config.Activation;
        if (config.Architecture == ModelArchitecture.Phi3)
        {
            _gateUp = new AdaptableLinear(config.HiddenSize, 2 * config.IntermediateSize, bias: false);
            register_module("gate_up_proj", _gateUp);
        }
        else
        {
            _gate = new AdaptableLinear(config.HiddenSize, config.IntermediateSize, bias: config.MlpBias);
            _up = new AdaptableLinear(config.HiddenSize, config.IntermediateSize, bias: config.MlpBias);
            register_module("gate_proj", _gate);
            register_module("up_proj", _up);
        }

        _down = new AdaptableLinear(config.IntermediateSize, config.HiddenSize, bias: config.MlpBias);
        register_module("down_proj", _down);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor gate, up;
        if (_gateUp is not null)
        {
            var halves = _gateUp.forward(input).chunk(2, -1);
            (gate, up) = (halves[0], halves[1]);
        }
        else
        {
            (gate, up) = (_gate!.forward(input), _up!.forward(input));
        }

        return _down.forward(Activations.Apply(_activation, gate) * up).MoveToOuterDisposeScope();
    }
}

/// <summary>One pre-norm decoder layer: attention then MLP, each with a residual.</summary>
public sealed class LlamaDecoderLayer : Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly LlamaAttention _attention;
    private readonly LlamaMlp _mlp;
    private readonly RmsNorm _inputNorm;
    private readonly RmsNorm _postAttentionNorm;

    public LlamaDecoderLayer(ModelConfig config, int layer)
        : base(nameof(LlamaDecoderLayer))
    {
        ArgumentNullException.ThrowIfNull(config);
        _attention = new LlamaAttention(config, layer);
        _mlp = new LlamaMlp(config);
        _inputNorm = new RmsNorm(config.HiddenSize, config.NormEpsilon);
        _postAttentionNorm = new RmsNorm(config.HiddenSize, config.NormEpsilon);
        register_module("self_attn", _attention);
        register_module("mlp", _mlp);
        register_module("input_layernorm", _inputNorm);
        register_module("post_attention_layernorm", _postAttentionNorm);
    }

    public override Tensor forward(Tensor hidden, Tensor cos, Tensor sin) => ForwardWithCache(hidden, cos, sin, null, 0);

    public Tensor ForwardWithCache(Tensor hidden, Tensor cos, Tensor sin, KeyValueCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var afterAttention = hidden.add(_attention.ForwardWithCache(_inputNorm.forward(hidden), cos, sin, cache, layer), Constants.One);
        return afterAttention.add(_mlp.forward(_postAttentionNorm.forward(afterAttention)), Constants.One).MoveToOuterDisposeScope();
    }
}

/// <summary>The embeddings, decoder layers and final norm (Hugging Face's <c>model.</c> prefix).</summary>
public sealed class LlamaBackbone : Module<Tensor, Tensor>
{
    private readonly Embedding _embed;
    private readonly ModuleList<LlamaDecoderLayer> _layers;
    private readonly RmsNorm _norm;
    private readonly RotaryEmbedding _rotary;

    public LlamaBackbone(ModelConfig config)
        : base(nameof(LlamaBackbone))
    {
        ArgumentNullException.ThrowIfNull(config);
        _embed = Embedding(config.VocabSize, config.HiddenSize);
        _layers = new ModuleList<LlamaDecoderLayer>([.. Enumerable.Range(0, config.Layers).Select(i => new LlamaDecoderLayer(config, i))]);
        _norm = new RmsNorm(config.HiddenSize, config.NormEpsilon);
        _rotary = new RotaryEmbedding(config);
        register_module("embed_tokens", _embed);
        register_module("layers", _layers);
        register_module("norm", _norm);
    }

    public Embedding Embeddings => _embed;

    public override Tensor forward(Tensor ids) => ForwardWithCache(ids, null);

    public Tensor ForwardWithCache(Tensor ids, KeyValueCache? cache)
    {
        using var scope = NewDisposeScope();
        var hidden = _embed.forward(ids);
        var (cos, sin) = cache is { IsPadded: true } ? _rotary.At(cache.PositionsOf(ids.shape[1], ids.device)) : _rotary.At(cache?.Length ?? 0, ids.shape[1], ids.device);
        var index = 0;
        foreach (var layer in _layers)
        {
            hidden = layer.ForwardWithCache(hidden, cos, sin, cache, index++);
        }

        return _norm.forward(hidden).MoveToOuterDisposeScope();
    }
}

/// <summary>Llama, Mistral, SmolLM, Qwen2, Qwen3 and Phi-3 as Hugging Face's <c>…ForCausalLM</c> classes lay them out.</summary>
public sealed class LlamaModel : CausalLm
{
    private readonly LlamaBackbone _model;
    private readonly Linear? _head;

    public LlamaModel(ModelConfig config)
        : base(nameof(LlamaModel), config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _model = new LlamaBackbone(config);
        register_module("model", _model);
        if (!config.TieWordEmbeddings)
        {
            _head = Linear(config.HiddenSize, config.VocabSize, hasBias: false);
            register_module("lm_head", _head);
        }
    }

    public override bool IsIgnorableTensor(string name) =>
        name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (Config.TieWordEmbeddings && name == "lm_head.weight");

    public override Tensor forward(Tensor input) => ForwardWithCache(input, null);

    public override Tensor ForwardWithCache(Tensor ids, KeyValueCache? cache)
    {
        using var scope = NewDisposeScope();
        return Logits(_model.ForwardWithCache(ids, cache)).MoveToOuterDisposeScope();
    }

    internal override Tensor ForwardLastWithCache(Tensor ids, KeyValueCache cache, Tensor last)
    {
        using var scope = NewDisposeScope();
        return Logits(AtPositions(_model.ForwardWithCache(ids, cache), last)).MoveToOuterDisposeScope();
    }

    private Tensor Logits(Tensor hidden) => _head is not null ? _head.forward(hidden) : functional.linear(hidden, _model.Embeddings.weight!);
}
