using Curation.Training.Checkpoints;
using static TorchSharp.torch;

namespace Curation.Training.Models;

/// <summary>
/// A decoder-only language model whose parameter names are Hugging Face's, so a checkpoint's tensors load by name and
/// adapters are written under the names PEFT expects. Input: token ids [batch, time]; output: logits [batch, time, vocab].
/// </summary>
public abstract class CausalLm : nn.Module<Tensor, Tensor>
{
    protected CausalLm(string name, ModelConfig config)
        : base(name)
    {
        Config = config;
    }

    public ModelConfig Config { get; }

    /// <summary>
    /// Logits for <paramref name="ids"/> that continue the sequence held in <paramref name="cache"/> (keys and values of
    /// the earlier positions), which grows by them. Either the cache is empty or <paramref name="ids"/> is one position.
    /// </summary>
    public abstract Tensor ForwardWithCache(Tensor ids, KeyValueCache? cache);

    /// <summary>
    /// Logits [rows, vocab] at one position per row, <paramref name="last"/>[r] (int64 [rows]), of a pass like
    /// <see cref="ForwardWithCache"/>: prompts padded to one length need only their last position's, and the output
    /// layer runs on those alone.
    /// </summary>
    internal virtual Tensor ForwardLastWithCache(Tensor ids, KeyValueCache cache, Tensor last)
    {
        using var scope = NewDisposeScope();
        return AtPositions(ForwardWithCache(ids, cache), last).MoveToOuterDisposeScope();
    }

    /// <summary>Row r of <paramref name="states"/> [rows, time, size] at position <paramref name="positions"/>[r]: [rows, size].</summary>
    internal static Tensor AtPositions(Tensor states, Tensor positions) =>
        states.gather(1, positions.view(-1, 1, 1).expand(-1, 1, states.shape[2])).squeeze(1);

    /// <summary>Checkpoint tensors the model does not use (buffers some exporters save), skipped when loading.</summary>
    public virtual bool IsIgnorableTensor(string name) => false;

    /// <summary>The model's parameter name for a checkpoint tensor name (e.g. GPT-2 files without the "transformer." prefix).</summary>
    public virtual string ParameterNameOf(string checkpointName) => checkpointName;

    public static CausalLm Create(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Architecture == ModelArchitecture.Gpt2 ? new Gpt2Model(config) : new LlamaModel(config);
    }
}
