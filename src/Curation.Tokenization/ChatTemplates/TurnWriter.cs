using Curation.Core.Records;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// Writes conversations as a template renders them, without the template: for the conversations it knows the
/// template writes turn after turn in a fixed way, the same text with one turn per message where the template's own
/// rendering locates them (so counts from it equal counts from the rendering); any other conversation is left to the
/// template. No generation prompt is written. Safe to use from several threads.
/// </summary>
internal abstract class TurnWriter
{
    /// <summary>
    /// Writes <paramref name="messages"/>, whose contents are <paramref name="contents"/> (already as the tokenizer
    /// normalises them), to <paramref name="text"/> (cleared); false, the text then in no particular state, for a
    /// conversation this does not write exactly as the template renders it.
    /// </summary>
    public abstract bool TryWrite(IReadOnlyList<Message> messages, ReadOnlySpan<string> contents, TurnText text);
}
