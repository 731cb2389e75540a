using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Generation;

/// <summary>A reply and why generation stopped.</summary>
public sealed record Generated(string Text, IReadOnlyList<int> Ids, StopReason Reason)
{
    public bool StoppedAtEnd => Reason == StopReason.EndMarker;
}

/// <summary>
/// Continues a conversation rendered with the model's chat template (see <see cref="TokenDecoder"/>), until an end
/// marker, the token limit or the model's last position.
/// </summary>
public sealed class TextGenerator(CausalLm model, TextTokenizer tokenizer, ChatTemplate template, Device device)
{
    /// <summary>
    /// Token ids that end a reply: the template's end-of-turn marker and end-of-text, where the tokenizer has them,
    /// and the model config's <c>eos_token_id</c>s.
    /// </summary>
    public IReadOnlySet<int> StopIds { get; } = StopIdsOf(model, tokenizer, template);

    public Generated Reply(IReadOnlyList<Message> conversation, SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prompt = template.Render(conversation, addGenerationPrompt: true).Text;
        return Continue(tokenizer.Encode(prompt), options);
    }

    /// <exception cref="Core.CurationException">The prompt is longer than the model's positions.</exception>
    public Generated Continue(IReadOnlyList<int> promptIds, SamplingOptions options)
    {
        var decoded = new TokenDecoder(model, device).Decode(promptIds, options, StopIds);
        return new Generated(tokenizer.Decode(decoded.Ids), decoded.Ids, decoded.Reason);
    }

    /// <summary>The ids that end a reply: the template's end-of-turn marker, end-of-text markers the tokenizer has, and the config's <c>eos_token_id</c>.</summary>
    public static IReadOnlySet<int> StopIdsOf(CausalLm model, TextTokenizer tokenizer, ChatTemplate template)
    {
        ArgumentNullException.ThrowIfNull(model);
        var stops = new HashSet<int>(model.Config.EndOfSequenceIds);
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
