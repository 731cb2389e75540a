using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Curation.Training.Generation;

/// <summary>How tokens are chosen: greedy at temperature 0, else sampled from the top-p nucleus, seeded.</summary>
public sealed record SamplingOptions(int MaxNewTokens = 128, double Temperature = 0, double TopP = 1.0, long Seed = 1);

/// <summary>A reply and why generation stopped.</summary>
public sealed record Generated(string Text, IReadOnlyList<int> Ids, bool StoppedAtEnd);

/// <summary>
/// Continues a conversation rendered with the model's chat template: the prompt is run once into a key/value cache,
/// then one position per new token, until an end marker or the token limit.
/// </summary>
public sealed class TextGenerator(CausalLm model, TextTokenizer tokenizer, ChatTemplate template, Device device)
{
    /// <summary>Token ids that end a reply: the template's end-of-turn marker and end-of-text, where the tokenizer has them.</summary>
    public IReadOnlySet<int> StopIds { get; } = StopIdsOf(tokenizer, template);

    public Generated Reply(IReadOnlyList<Message> conversation, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prompt = template.Render(conversation, addGenerationPrompt: true).Text;
        return Continue(tokenizer.Encode(prompt), options);
    }

    public Generated Continue(IReadOnlyList<int> promptIds, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(options);
        model.eval();
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        using var cache = new KeyValueCache(model.Config.Layers);
        using var generator = new Generator((ulong)options.Seed, device);
        var produced = new List<int>();
        var next = tensor(promptIds.Select(id => (long)id).ToArray(), [1, promptIds.Count], device: device);
        var stopped = false;
        for (var i = 0; i < options.MaxNewTokens; i++)
        {
            using var scope = NewDisposeScope();
            var logits = model.ForwardWithCache(next, cache)[0, -1];
            var id = Choose(logits, options, generator);
            if (StopIds.Contains(id))
            {
                stopped = true;
                break;
            }

            produced.Add(id);
            next = tensor(new long[] { id }, [1, 1], device: device).MoveToOuterDisposeScope();
        }

        return new Generated(tokenizer.Decode(produced), produced, stopped);
    }

    private static int Choose(Tensor logits, SamplingOptions options, Generator generator)
    {
        if (options.Temperature <= 0)
        {
            return (int)logits.argmax().item<long>();
        }

        using var temperature = options.Temperature.ToScalar();
        using var topP = options.TopP.ToScalar();
        var probabilities = nn.functional.softmax(logits.to(float32) / temperature, -1);
        if (options.TopP < 1)
        {
            var ordered = probabilities.sort(descending: true);
            var (sorted, indices) = (ordered.Values, ordered.Indices);
            var cumulative = sorted.cumsum(0);

            // Keep the smallest prefix whose mass reaches top-p (the first token always stays).
            var outside = (cumulative - sorted) > topP;
            sorted = sorted.masked_fill(outside, Constants.Zero);
            var pick = multinomial(sorted / sorted.sum(), 1, generator: generator);
            return (int)indices[pick].item<long>();
        }

        return (int)multinomial(probabilities, 1, generator: generator).item<long>();
    }

    private static HashSet<int> StopIdsOf(TextTokenizer tokenizer, ChatTemplate template)
    {
        var stops = new HashSet<int>();
        var suffix = template.TurnSuffix(Roles.Assistant);
        foreach (var (marker, id) in tokenizer.SpecialTokens)
        {
            if ((suffix.Length > 0 && suffix.StartsWith(marker, StringComparison.Ordinal)) || marker is "<|endoftext|>" or "</s>" or "<|eot_id|>" or "<|end|>" or "<end_of_turn>")
            {
                stops.Add(id);
            }
        }

        return stops;
    }
}
