using Curation.Core.Records;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// Renders a conversation as a model reads it: the model's own Jinja template (<see cref="JinjaChatTemplate"/>) or
/// one of the formats Curation names (<see cref="NamedChatTemplate"/>). The same rendering counts tokens in the
/// length filter and builds training examples in the trainer, so what is filtered is what is trained on.
/// </summary>
public abstract class ChatTemplate
{
    private protected ChatTemplate(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>What the template writes before the content of a turn of <paramref name="role"/>.</summary>
    public abstract string TurnPrefix(string role);

    /// <summary>What follows a turn's content (its end marker).</summary>
    public abstract string TurnSuffix(string role);

    /// <exception cref="ChatTemplateException">The template cannot render the conversation.</exception>
    public abstract RenderedChat Render(IReadOnlyList<Message> messages, bool addGenerationPrompt = false);

    public override string ToString() => Name;
}
