using Curation.Core.Records;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// Writes what <see cref="NamedChatTemplate.Render"/> renders, for the formats that write each message as a turn of
/// its own (no system prompt folded into a user turn, no required alternation), with each role's markers made once.
/// </summary>
internal sealed class NamedTurnWriter : TurnWriter
{
    private readonly NamedChatTemplate _template;
    private readonly Dictionary<string, (string Prefix, string Suffix)> _markers;

    private NamedTurnWriter(NamedChatTemplate template)
    {
        _template = template;
        _markers = template.Roles.ToDictionary(role => role, role => (template.TurnPrefix(role), template.TurnSuffix(role)), StringComparer.Ordinal);
    }

    /// <summary>A writer for <paramref name="template"/>; null where it moves or checks messages across turns.</summary>
    public static NamedTurnWriter? For(NamedChatTemplate template) =>
        template.FoldsSystemIntoFirstUser || template.RequiresAlternation ? null : new NamedTurnWriter(template);

    public override bool TryWrite(IReadOnlyList<Message> messages, ReadOnlySpan<string> contents, TurnText text)
    {
        text.Clear();
        text.Append(_template.Beginning);
        for (var i = 0; i < messages.Count; i++)
        {
            // A role the format has no place for fails in the template, with its message.
            if (!_markers.TryGetValue(messages[i].Role, out var markers))
            {
                return false;
            }

            text.StartTurn();
            text.Append(markers.Prefix);
            text.Append(_template.TrimsContent ? contents[i].AsSpan().Trim() : contents[i]);
            text.Append(markers.Suffix);
        }

        text.EndTurns();
        text.Append(_template.Ending);
        return true;
    }
}
