using System.Globalization;
using Curation.Core;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Generation;

/// <summary>
/// How tokens are chosen: greedy at temperature 0, else sampled, seeded, from the <paramref name="TopK"/> most likely
/// (0: all) and of those from the top-p nucleus.
/// </summary>
public sealed record SamplingOptions(int MaxNewTokens = 128, double Temperature = 0, double TopP = 1.0, long Seed = 1, int TopK = 0)
{
    public bool IsGreedy => Temperature <= 0;
}

/// <summary>Why generation stopped.</summary>
public enum StopReason
{
    /// <summary>The model produced a stop token (not part of the reply).</summary>
    EndMarker,

    /// <summary><see cref="SamplingOptions.MaxNewTokens"/> tokens were produced.</summary>
    TokenLimit,

    /// <summary>The sequence filled every position the model has (<c>n_positions</c>, <c>max_position_embeddings</c>).</summary>
    PositionLimit,

    /// <summary>The reply reached one of the request's stop strings (not part of the reply).</summary>
    StopSequence,
}

/// <summary>The ids a <see cref="TokenDecoder"/> produced and why it stopped.</summary>
public sealed record DecodedIds(IReadOnlyList<int> Ids, StopReason Reason);

/// <summary>
/// Token ids in, token ids out: the prompt is run once into a key/value cache, then one position per new token,
/// until a stop id, the token limit or the model's last position.
/// </summary>
public sealed class TokenDecoder(CausalLm model, Device device)
{
    /// <param name="promptIds">The prompt; at most the model's positions.</param>
    /// <param name="options">Token limit and sampling.</param>
    /// <param name="stopIds">Ids that end generation.</param>
    /// <param name="onStep">Sees the logits [vocab] each token is chosen from, in order.</param>
    /// <exception cref="CurationException">The prompt is longer than the model's positions.</exception>
    public DecodedIds Decode(IReadOnlyList<int> promptIds, SamplingOptions options, IReadOnlySet<int> stopIds, Action<Tensor>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stopIds);
        var positions = model.Config.MaxPositions;
        CheckPromptFits(model.Config, promptIds.Count);

        model.eval();
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        using var cache = new KeyValueCache(model.Config.Layers);
        using var generator = new Generator((ulong)options.Seed, device);
        var produced = new List<int>();
        var next = tensor(promptIds.Select(id => (long)id).ToArray(), [1, promptIds.Count], device: device);
        for (var i = 0; i < options.MaxNewTokens; i++)
        {
            if (cache.Length + next.shape[1] > positions)
            {
                return new DecodedIds(produced, StopReason.PositionLimit);
            }

            using var scope = NewDisposeScope();
            var logits = model.ForwardWithCache(next, cache)[0, -1];
            onStep?.Invoke(logits);
            var id = TokenChooser.Choose(logits, options, generator);
            if (stopIds.Contains(id))
            {
                return new DecodedIds(produced, StopReason.EndMarker);
            }

            produced.Add(id);
            next = tensor(new long[] { id }, [1, 1], device: device).MoveToOuterDisposeScope();
        }

        return new DecodedIds(produced, StopReason.TokenLimit);
    }

    /// <exception cref="CurationException">The prompt is longer than the model's positions.</exception>
    internal static void CheckPromptFits(Checkpoints.ModelConfig config, int promptTokens)
    {
        if (promptTokens > config.MaxPositions)
        {
            throw new CurationException(string.Create(
                CultureInfo.InvariantCulture,
                $"the prompt is {promptTokens} tokens; this {config.ModelType} model has {config.MaxPositions} positions ({config.MaxPositionsKey})"));
        }
    }
}
