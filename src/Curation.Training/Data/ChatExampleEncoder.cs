using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;

namespace Curation.Training.Data;

/// <summary>
/// Renders a conversation with the model's chat template and tokenises it in one piece (so ids are exactly what the
/// model sees at inference), marking as supervised the tokens that start inside an assistant turn's content or end
/// marker (inside the template's <c>{% generation %}</c> blocks, where it has them), or every token.
/// </summary>
public sealed class ChatExampleEncoder(TextTokenizer tokenizer, ChatTemplate template, LossOn lossOn)
{
    public TextTokenizer Tokenizer { get; } = tokenizer;

    public ChatTemplate Template { get; } = template;

    /// <exception cref="ChatTemplateException">The template cannot render the conversation.</exception>
    public TrainingExample Encode(IReadOnlyList<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (Tokenizer.Normalizes)
        {
            // Offsets refer to the normalised text: normalising the contents first keeps them on the rendered turns.
            messages = [.. messages.Select(message => message with { Content = Tokenizer.Normalize(message.Content) })];
        }

        var rendered = Template.Render(messages);
        var tokens = Tokenizer.EncodeWithOffsets(rendered.Text);
        var ids = new int[tokens.Count];
        var supervised = new bool[tokens.Count];
        var turn = 0;
        var generated = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i].Id;
            if (lossOn == LossOn.All)
            {
                supervised[i] = true;
                continue;
            }

            if (rendered.Generated is { } spans)
            {
                while (generated < spans.Count && tokens[i].Start >= spans[generated].End)
                {
                    generated++;
                }

                supervised[i] = generated < spans.Count && spans[generated].Contains(tokens[i].Start);
                continue;
            }

            while (turn < rendered.Turns.Count && tokens[i].Start >= rendered.Turns[turn].End)
            {
                turn++;
            }

            supervised[i] = turn < rendered.Turns.Count
                && rendered.Turns[turn].Role == Roles.Assistant
                && tokens[i].Start >= rendered.Turns[turn].ContentStart;
        }

        return new TrainingExample(ids, supervised);
    }
}
