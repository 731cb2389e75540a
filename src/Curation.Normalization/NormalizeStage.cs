using System.Runtime.InteropServices;
using Curation.Core.Conversations;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Unicode;
using Curation.Normalization.Text;

namespace Curation.Normalization;

/// <summary>
/// Cleans every turn (see <see cref="NormalizeOptions"/>) and maps role aliases to the canonical roles. Never drops a
/// record except for a lone surrogate (<c>invalid-unicode</c>), which no writer could encode. A record with nothing
/// to change is returned as the same instance. The record id is kept: it names the input record.
/// </summary>
internal sealed class NormalizeStage : IRecordStage
{
    private readonly TextNormalizer _text;
    private readonly RoleMapper _roles;

    /// <exception cref="ArgumentException">The role map sends a role to something that is not a role.</exception>
    public NormalizeStage(NormalizeOptions options, string name = StageKinds.Normalize)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _text = new TextNormalizer(options);
        _roles = new RoleMapper(options.RoleMap, options.DefaultRoleMap);
    }

    public string Name { get; }

    public StageResult Apply(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var messages = record.Messages.IsDefault ? [] : record.Messages;
        Message[]? changed = null;
        for (var i = 0; i < messages.Length; i++)
        {
            var message = messages[i];
            var loneSurrogate = _text.Normalize(message.Content, out var content);
            if (loneSurrogate >= 0)
            {
                return StageResult.Drop(ConversationRuleNames.InvalidUnicode, Surrogates.Describe(i, "content", message.Content, loneSurrogate));
            }

            if (message.Name is { } name && Surrogates.FindLone(name) is var inName and >= 0)
            {
                return StageResult.Drop(ConversationRuleNames.InvalidUnicode, Surrogates.Describe(i, "name", name, inName));
            }

            var role = _roles.Map(message.Role);
            if (ReferenceEquals(content, message.Content) && ReferenceEquals(role, message.Role))
            {
                continue;
            }

            changed ??= [.. messages];
            changed[i] = message with { Role = role, Content = content };
        }

        return StageResult.Keep(changed is null ? record : record with { Messages = ImmutableCollectionsMarshal.AsImmutableArray(changed) });
    }
}
