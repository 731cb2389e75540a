using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Generation;

/// <summary>
/// Continues many prompts at once, at most <paramref name="maxBatch"/> sequences decoding together; a finished one's
/// row goes to the next waiting prompt at the next step (see <see cref="DecodeBatch"/>).
/// </summary>
public sealed class BatchedDecoder(CausalLm model, Device device, int maxBatch)
{
    /// <param name="onToken">Sees (request index, token id) for every kept token, as it is chosen.</param>
    /// <returns>Each request's ids and stop reason, in request order.</returns>
    /// <exception cref="Core.CurationException">A prompt is longer than the model's positions (checked before any decoding).</exception>
    public IReadOnlyList<DecodedIds> Decode(IReadOnlyList<DecodeRequest> requests, Action<int, int>? onToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        foreach (var request in requests)
        {
            TokenDecoder.CheckPromptFits(model.Config, request.PromptIds.Count);
        }

        var results = new DecodedIds[requests.Count];
        var next = 0;
        using var batch = new DecodeBatch(model, device, onToken);
        while (next < requests.Count || batch.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var joining = new List<(int, DecodeRequest)>();
            for (; batch.Count + joining.Count < maxBatch && next < requests.Count; next++)
            {
                joining.Add((next, requests[next]));
            }

            foreach (var (id, result) in batch.Add(joining))
            {
                results[id] = result;
            }

            foreach (var (id, result) in batch.Step())
            {
                results[id] = result;
            }
        }

        return results;
    }
}
