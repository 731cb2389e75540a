using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Generation;

/// <summary>A conversation to continue with the assistant's reply; <paramref name="Stop"/>: strings that end it (not part of it).</summary>
public sealed record ChatRequest(IReadOnlyList<Message> Conversation, SamplingOptions Options, IReadOnlyList<string> Stop);

/// <summary>A reply, its token counts and why it ended.</summary>
public sealed record ChatReply(string Text, int PromptTokens, int CompletionTokens, StopReason Reason)
{
    /// <summary>OpenAI's <c>finish_reason</c>: "stop" at an end marker or stop string, "length" at a token or position limit.</summary>
    public string FinishReason => Reason is StopReason.EndMarker or StopReason.StopSequence ? "stop" : "length";
}

/// <summary>
/// Replies to many conversations at once, rendered with the model's chat template and decoded in batches of at most
/// <paramref name="maxBatch"/> (<see cref="BatchedDecoder"/>).
/// </summary>
public sealed class BatchedTextGenerator(CausalLm model, TextTokenizer tokenizer, ChatTemplate template, Device device, int maxBatch)
{
    /// <summary>
    /// Token ids that end a reply: the template's end-of-turn marker and end-of-text, where the tokenizer has them,
    /// and the model config's <c>eos_token_id</c>s.
    /// </summary>
    public IReadOnlySet<int> StopIds { get; } = TextGenerator.StopIdsOf(model, tokenizer, template);

    /// <summary>The prompt ids of <paramref name="conversation"/>: rendered, with the assistant's turn opened.</summary>
    public IReadOnlyList<int> PromptOf(IReadOnlyList<Message> conversation) =>
        tokenizer.Encode(template.Render(conversation, addGenerationPrompt: true).Text);

    /// <param name="onToken">Sees (request index, token id) for every token kept, as it is chosen.</param>
    /// <returns>The replies, in request order.</returns>
    /// <exception cref="Core.CurationException">A prompt is longer than the model's positions.</exception>
    public IReadOnlyList<ChatReply> Generate(IReadOnlyList<ChatRequest> requests, Action<int, int>? onToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var prompts = requests.Select(request => PromptOf(request.Conversation)).ToList();
        var decoded = new BatchedDecoder(model, device, maxBatch).Decode(
            [.. requests.Select((request, i) => new DecodeRequest(prompts[i], request.Options, StopIds, StopStringReached(request.Stop)))],
            onToken,
            cancellationToken);
        return [.. decoded.Select((result, i) => Reply(prompts[i].Count, result, requests[i].Stop))];
    }

    private ChatReply Reply(int promptTokens, DecodedIds decoded, IReadOnlyList<string> stop)
    {
        var text = tokenizer.Decode(decoded.Ids);
        if (decoded.Reason == StopReason.StopSequence)
        {
            text = text[..FirstStop(text, stop)];
        }

        return new ChatReply(text, promptTokens, decoded.Ids.Count, decoded.Reason);
    }

    private Func<IReadOnlyList<int>, bool>? StopStringReached(IReadOnlyList<string> stop) =>
        stop.Count == 0 ? null : ids => FirstStop(tokenizer.Decode(ids), stop) >= 0;

    private static int FirstStop(string text, IReadOnlyList<string> stop) =>
        stop.Select(marker => text.IndexOf(marker, StringComparison.Ordinal)).Where(index => index >= 0).DefaultIfEmpty(-1).Min();
}
