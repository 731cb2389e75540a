namespace Curation.Tokenization.ChatTemplates;

/// <summary>A conversation as the model reads it, with where each message landed in the text.</summary>
/// <param name="Text">The rendered text, special tokens written out (<c>&lt;|im_start|&gt;</c>, <c>&lt;s&gt;</c>).</param>
/// <param name="Turns">One span per rendered message, in order; a message merged into another (a system prompt
/// folded into a user turn) has none.</param>
public sealed record RenderedChat(string Text, IReadOnlyList<TurnSpan> Turns)
{
    /// <summary>
    /// The parts of <see cref="Text"/> the template marks as written by the assistant (its <c>{% generation %}</c>
    /// blocks, what Hugging Face's assistant-only loss trains on), in order; null when the template marks none, and
    /// an assistant turn is then trained from its content to its end.
    /// </summary>
    public IReadOnlyList<TextSpan>? Generated { get; init; }
}

/// <summary>
/// Where one message sits in <see cref="RenderedChat.Text"/>: [<see cref="Start"/>, <see cref="End"/>) is the whole
/// turn with the template's markers, [<see cref="ContentStart"/>, <see cref="ContentEnd"/>) its content (for an
/// assistant turn, from where the model starts writing).
/// </summary>
/// <param name="Message">Index of the message in the conversation.</param>
public readonly record struct TurnSpan(int Message, string Role, int Start, int End, int ContentStart, int ContentEnd);

/// <summary>Characters [<see cref="Start"/>, <see cref="End"/>) of a text.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    public bool Contains(int position) => position >= Start && position < End;
}
