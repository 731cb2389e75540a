using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization;

/// <summary>
/// Counts the tokens a model sees for a conversation: rendered with the chat template, encoded once as a whole (so
/// template tokens and merges across turn boundaries count exactly as in training), then each token attributed to
/// the turn its text starts in. Safe to use from several threads.
/// </summary>
public sealed class ChatTokenCounter(TextTokenizer tokenizer, ChatTemplate template)
{
    public TextTokenizer Tokenizer { get; } = tokenizer;

    public ChatTemplate Template { get; } = template;

    /// <exception cref="ChatTemplateException">The template cannot render the conversation.</exception>
    public ChatTokenCounts Count(IReadOnlyList<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (Tokenizer.Normalizes)
        {
            messages = [.. messages.Select(message => message with { Content = Tokenizer.Normalize(message.Content) })];
        }

        var rendered = Template.Render(messages);
        var tokens = Tokenizer.EncodeWithOffsets(rendered.Text);
        var perMessage = new int[messages.Count];
        var lastAssistant = -1;
        for (var t = rendered.Turns.Count - 1; t >= 0 && lastAssistant < 0; t--)
        {
            if (rendered.Turns[t].Role == Roles.Assistant)
            {
                lastAssistant = t;
            }
        }

        var responseStart = lastAssistant >= 0 ? rendered.Turns[lastAssistant].Start : int.MaxValue;
        var responseEnd = lastAssistant >= 0 ? rendered.Turns[lastAssistant].End : int.MaxValue;
        int prompt = 0, response = 0, turn = 0;
        foreach (var token in tokens)
        {
            while (turn < rendered.Turns.Count && token.Start >= rendered.Turns[turn].End)
            {
                turn++;
            }

            if (turn < rendered.Turns.Count && token.Start >= rendered.Turns[turn].Start)
            {
                perMessage[rendered.Turns[turn].Message]++;
            }

            if (token.Start < responseStart)
            {
                prompt++;
            }
            else if (token.Start < responseEnd)
            {
                response++;
            }
        }

        return new ChatTokenCounts(tokens.Count, perMessage, prompt, response);
    }
}

/// <summary>Token counts of one rendered conversation.</summary>
/// <param name="Total">Every token, template tokens included.</param>
/// <param name="PerMessage">Tokens of each message's turn (markers and content); 0 for a message folded into another.</param>
/// <param name="Prompt">Tokens before the last assistant turn (all of them when there is none).</param>
/// <param name="Response">Tokens of the last assistant turn.</param>
public sealed record ChatTokenCounts(int Total, IReadOnlyList<int> PerMessage, int Prompt, int Response);
