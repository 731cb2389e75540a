using Curation.Training.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Curation.Training.Models;

/// <summary>
/// GPT-2 attention: one projection to q, k and v, causal, then an output projection. Scores are divided by √(head dim)
/// unless <c>scale_attn_weights</c> is false, and by the layer's number with <c>scale_attn_by_inverse_layer_idx</c>.
/// </summary>
public sealed class Gpt2Attention : Module<Tensor, Tensor>
{
    private readonly AdaptableLinear _qkv;
    private readonly AdaptableLinear _output;
    private readonly int _heads;
    private readonly int _hidden;

    // Attention divides by √(head dim) itself; scaling q scales the scores to what the config asks for.
    private readonly Scalar? _queryScale;

    public Gpt2Attention(ModelConfig config, int layer)
        : base(nameof(Gpt2Attention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.Heads;
        _hidden = config.HiddenSize;
        var scale = (config.ScaleAttentionWeights ? 1.0 : Math.Sqrt(config.HeadDim)) / (config.ScaleAttentionByInverseLayer ? layer + 1 : 1);
        _queryScale = scale == 1.0 ? null : scale.ToScalar();
        _qkv = new AdaptableLinear(config.HiddenSize, 3 * config.HiddenSize, bias: true, transposed: true);
        _output = new AdaptableLinear(config.HiddenSize, config.HiddenSize, bias: true, transposed: true);
        register_module("c_attn", _qkv);
        register_module("c_proj", _output);
    }

    public override Tensor forward(Tensor hidden) => ForwardWithCache(hidden, null, 0);

    public Tensor ForwardWithCache(Tensor hidden, KeyValueCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var (batch, time) = (hidden.shape[0], hidden.shape[1]);
        var parts = _qkv.forward(hidden).split(_hidden, 2);
        var headDim = _hidden / _heads;
        Tensor Heads(Tensor t) => t.view(batch, time, _heads, headDim).transpose(1, 2);
        var (keys, values) = (Heads(parts[1]), Heads(parts[2]));
        // This layer's own count: layers before it have already appended this pass's positions.
        var (mask, causal) = cache is null ? KeyValueCache.MaskFor(0, time, hidden.device) : cache.MaskFor(layer, time, hidden.device);
        if (cache is not null)
        {
            (keys, values) = cache.Append(layer, keys, values);
        }

        var queries = _queryScale is null ? Heads(parts[0]) : Heads(parts[0]) * _queryScale;
        var attended = functional.scaled_dot_product_attention(queries, keys, values, mask, 0.0, causal);
        return _output.forward(attended.transpose(1, 2).contiguous().view(batch, time, _hidden)).MoveToOuterDisposeScope();
    }
}

/// <summary>GPT-2 feed-forward with the config's <c>activation_function</c> (by default "gelu_new", GELU's tanh approximation).</summary>
public sealed class Gpt2Mlp : Module<Tensor, Tensor>
{
    private readonly AdaptableLinear _up;
    private readonly AdaptableLinear _down;
    private readonly Activation _activation;

    public Gpt2Mlp(ModelConfig config)
        : base(nameof(Gpt2Mlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        _activation = config.Activation;
        _up = new AdaptableLinear(config.HiddenSize, config.IntermediateSize, bias: true, transposed: true);
        _down = new AdaptableLinear(config.IntermediateSize, config.HiddenSize, bias: true, transposed: true);
        register_module("c_fc", _up);
        register_module("c_proj", _down);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _down.forward(Activations.Apply(_activation, _up.forward(input))).MoveToOuterDisposeScope();
    }
}

/// <summary>One GPT-2 block: pre-norm attention and MLP with residuals.</summary>
public sealed class Gpt2Block : Module<Tensor, Tensor>
{
    private readonly LayerNorm _norm1;
    private readonly Gpt2Attention _attention;
    private readonly LayerNorm _norm2;
    private readonly Gpt2Mlp _mlp;

    public Gpt2Block(ModelConfig config, int layer)
        : base(nameof(Gpt2Block))
    {
        ArgumentNullException.ThrowIfNull(config);
        _norm1 = LayerNorm(config.HiddenSize, config.NormEpsilon);
        _attention = new Gpt2Attention(config, layer);
        _norm2 = LayerNorm(config.HiddenSize, config.NormEpsilon);
        _mlp = new Gpt2Mlp(config);
        register_module("ln_1", _norm1);
        register_module("attn", _attention);
        register_module("ln_2", _norm2);
        register_module("mlp", _mlp);
    }

    public override Tensor forward(Tensor hidden) => ForwardWithCache(hidden, null, 0);

    public Tensor ForwardWithCache(Tensor hidden, KeyValueCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var afterAttention = hidden.add(_attention.ForwardWithCache(_norm1.forward(hidden), cache, layer), Constants.One);
        return afterAttention.add(_mlp.forward(_norm2.forward(afterAttention)), Constants.One).MoveToOuterDisposeScope();
    }
}

/// <summary>Token and position embeddings, blocks and final norm (Hugging Face's <c>transformer.</c> prefix).</summary>
public sealed class Gpt2Backbone : Module<Tensor, Tensor>
{
    private readonly Embedding _tokens;
    private readonly Embedding _positions;
    private readonly ModuleList<Gpt2Block> _blocks;
    private readonly LayerNorm _norm;

    public Gpt2Backbone(ModelConfig config)
        : base(nameof(Gpt2Backbone))
    {
        ArgumentNullException.ThrowIfNull(config);
        _tokens = Embedding(config.VocabSize, config.HiddenSize);
        _positions = Embedding(config.MaxPositions, config.HiddenSize);
        _blocks = new ModuleList<Gpt2Block>([.. Enumerable.Range(0, config.Layers).Select(i => new Gpt2Block(config, i))]);
        _norm = LayerNorm(config.HiddenSize, config.NormEpsilon);
        register_module("wte", _tokens);
        register_module("wpe", _positions);
        register_module("h", _blocks);
        register_module("ln_f", _norm);
    }

    public Embedding Tokens => _tokens;

    public override Tensor forward(Tensor ids) => ForwardWithCache(ids, null);

    public Tensor ForwardWithCache(Tensor ids, KeyValueCache? cache)
    {
        using var scope = NewDisposeScope();
        var positions = cache is { IsPadded: true } ? cache.PositionsOf(ids.shape[1], ids.device) : PositionsFrom(cache?.Length ?? 0, ids.shape[1], ids.device);
        var hidden = _tokens.forward(ids).add(_positions.forward(positions), Constants.One);
        var index = 0;
        foreach (var block in _blocks)
        {
            hidden = block.ForwardWithCache(hidden, cache, index++);
        }

        return _norm.forward(hidden).MoveToOuterDisposeScope();
    }

    private static Tensor PositionsFrom(long start, long length, Device device)
    {
        using var first = start.ToScalar();
        using var end = (start + length).ToScalar();
        return arange(first, end, dtype: int64, device: device);
    }
}

/// <summary>GPT-2 as Hugging Face's <c>GPT2LMHeadModel</c> lays it out; the output layer is the token embedding.</summary>
public sealed class Gpt2Model : CausalLm
{
    private const string Prefix = "transformer.";
    private readonly Gpt2Backbone _transformer;

    public Gpt2Model(ModelConfig config)
        : base(nameof(Gpt2Model), config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _transformer = new Gpt2Backbone(config);
        register_module("transformer", _transformer);
    }

    // Hub GPT-2 files name tensors without the prefix and keep the causal-mask buffers.
    public override string ParameterNameOf(string checkpointName) =>
        checkpointName.StartsWith(Prefix, StringComparison.Ordinal) || checkpointName.StartsWith("lm_head.", StringComparison.Ordinal) ? checkpointName : Prefix + checkpointName;

    public override bool IsIgnorableTensor(string name) =>
        name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal) || name == "lm_head.weight";

    public override Tensor forward(Tensor input) => ForwardWithCache(input, null);

    public override Tensor ForwardWithCache(Tensor ids, KeyValueCache? cache)
    {
        using var scope = NewDisposeScope();
        return functional.linear(_transformer.ForwardWithCache(ids, cache), _transformer.Tokens.weight!).MoveToOuterDisposeScope();
    }

    internal override Tensor ForwardLastWithCache(Tensor ids, KeyValueCache cache, Tensor last)
    {
        using var scope = NewDisposeScope();
        return functional.linear(AtPositions(_transformer.ForwardWithCache(ids, cache), last), _transformer.Tokens.weight!).MoveToOuterDisposeScope();
    }
}
