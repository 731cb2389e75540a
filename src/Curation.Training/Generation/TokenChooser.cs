using Curation.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Curation.Training.Generation;

/// <summary>Picks the next token from one row of logits as <see cref="SamplingOptions"/> say (transformers' order: temperature, top-k, top-p).</summary>
internal static class TokenChooser
{
    public static int Choose(Tensor logits, SamplingOptions options, Generator generator)
    {
        if (options.IsGreedy)
        {
            return (int)logits.argmax().item<long>();
        }

        using var scope = NewDisposeScope();
        using var temperature = options.Temperature.ToScalar();
        using var topP = options.TopP.ToScalar();
        var scaled = logits.to(float32) / temperature;
        if (options.TopK > 0 && options.TopK < scaled.shape[^1])
        {
            var kth = scaled.topk(options.TopK).values[^1];
            scaled = scaled.masked_fill(scaled.lt(kth), Constants.NegativeInfinity);
        }

        var probabilities = nn.functional.softmax(scaled, -1);
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
}
