using System.Text;
using Curation.Core.Records;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// One of the chat formats Curation writes itself, as a model family's Hugging Face chat template writes it (see
/// <see cref="ChatTemplateCatalog"/> for the families and what each writes): for models whose folder has no
/// template of their own, or to override it.
/// </summary>
public sealed class NamedChatTemplate : ChatTemplate
{
    private readonly Func<string, string> _prefix;
    private readonly Func<string, string> _suffix;

    internal NamedChatTemplate(
        string name,
        string beginning,
        Func<string, string> prefix,
        Func<string, string> suffix,
        string generationPrompt,
        IReadOnlySet<string> roles)
        : base(name)
    {
        Beginning = beginning;
        _prefix = prefix;
        _suffix = suffix;
        GenerationPrompt = generationPrompt;
        Roles = roles;
    }

    /// <summary>Written once before the first turn (the beginning-of-sequence token, where the template writes one).</summary>
    public string Beginning { get; }

    /// <summary>Written after the last turn when a reply is to be generated.</summary>
    public string GenerationPrompt { get; }

    /// <summary>Roles the template renders.</summary>
    public IReadOnlySet<string> Roles { get; }

    /// <summary>Strip each message's leading and trailing whitespace, as Llama 3's and Gemma's templates do.</summary>
    public bool TrimsContent { get; init; }

    /// <summary>Fold a leading system message into the first user turn (<c>system\n\nuser</c>), for templates without a system role.</summary>
    public bool FoldsSystemIntoFirstUser { get; init; }

    /// <summary>Require user and assistant turns to alternate, starting with user.</summary>
    public bool RequiresAlternation { get; init; }

    /// <summary>Written at the very end when no reply is to be generated (Phi-3's end-of-text).</summary>
    public string Ending { get; init; } = string.Empty;

    public override string TurnPrefix(string role) => _prefix(role);

    public override string TurnSuffix(string role) => _suffix(role);

    /// <exception cref="ChatTemplateException">The conversation has a role the template does not render, or turns out of order.</exception>
    public override RenderedChat Render(IReadOnlyList<Message> messages, bool addGenerationPrompt = false)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new StringBuilder(Beginning, Beginning.Length + messages.Sum(m => m.Content.Length + 32));
        var turns = new List<TurnSpan>(messages.Count);
        string? folded = null;
        var expectUser = true;
        for (var index = 0; index < messages.Count; index++)
        {
            var message = messages[index];
            var content = TrimsContent ? message.Content.Trim() : message.Content;
            if (message.Role == Core.Records.Roles.System && FoldsSystemIntoFirstUser)
            {
                if (index != 0)
                {
                    throw new ChatTemplateException($"{Name}: a system message can only come first");
                }

                folded = content;
                continue;
            }

            if (!Roles.Contains(message.Role))
            {
                throw new ChatTemplateException($"{Name}: no place for role '{message.Role}' (renders {string.Join(", ", Roles)})");
            }

            if (RequiresAlternation)
            {
                if ((message.Role == Core.Records.Roles.User) != expectUser)
                {
                    throw new ChatTemplateException($"{Name}: user and assistant turns must alternate, starting with user; message {index + 1} is {message.Role}");
                }

                expectUser = !expectUser;
            }

            if (folded is not null && message.Role == Core.Records.Roles.User)
            {
                content = folded + "\n\n" + content;
                folded = null;
            }

            var start = text.Length;
            text.Append(_prefix(message.Role));
            var contentStart = text.Length;
            text.Append(content);
            var contentEnd = text.Length;
            text.Append(_suffix(message.Role));
            turns.Add(new TurnSpan(index, message.Role, start, text.Length, contentStart, contentEnd));
        }

        if (folded is not null)
        {
            throw new ChatTemplateException($"{Name}: a system message needs a user message to fold into");
        }

        text.Append(addGenerationPrompt ? GenerationPrompt : Ending);
        return new RenderedChat(text.ToString(), turns);
    }
}
