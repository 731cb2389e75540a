using System.Security.Cryptography;
using System.Text;
using Curation.Core;
using Curation.Core.Records;
using Curation.Evaluation.Config;
using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Prompts;

/// <summary>
/// How a golden item becomes the conversation an arm answers: an optional system text from a file (replacing the
/// item's own system turn) and an optional user template from a file, in which <c>{{input}}</c> stands for the item's
/// last user turn. <see cref="Version"/> hashes both files' bytes, so a changed prompt is a new version in the cache
/// and the run log.
/// </summary>
internal sealed class PromptTemplate
{
    public const string Placeholder = "{{input}}";

    private readonly string? _system;
    private readonly string? _user;

    private PromptTemplate(string? system, string? user, string version)
    {
        _system = system;
        _user = user;
        Version = version;
    }

    /// <summary>12 hex digits of SHA-256 over the files' bytes; <c>item</c> when the items' own turns are used as they are.</summary>
    public string Version { get; }

    public static PromptTemplate Load(PromptOptions options)
    {
        (string Text, byte[] Bytes)? system = options.System is null ? null : Read(options.System);
        (string Text, byte[] Bytes)? user = options.User is null ? null : Read(options.User);
        if (user is { } template && !template.Text.Contains(Placeholder, StringComparison.Ordinal))
        {
            throw new CurationException($"{options.User}: the user prompt template has no {Placeholder}; where should the item's question go?");
        }

        if (system is null && user is null)
        {
            return new PromptTemplate(null, null, "item");
        }

        var hash = SHA256.Create();
        hash.TransformBlock([(byte)'S'], 0, 1, null, 0);
        hash.TransformBlock(system?.Bytes ?? [], 0, system?.Bytes.Length ?? 0, null, 0);
        hash.TransformBlock([(byte)'U'], 0, 1, null, 0);
        hash.TransformFinalBlock(user?.Bytes ?? [], 0, user?.Bytes.Length ?? 0);
        return new PromptTemplate(system?.Text, user?.Text, Convert.ToHexStringLower(hash.Hash!)[..12]);
    }

    public IReadOnlyList<Message> Render(GoldenItem item)
    {
        var messages = new List<Message>(item.Prompt.Count + 1);
        if (_system is not null)
        {
            messages.Add(new Message(Roles.System, _system));
        }

        var lastUser = -1;
        for (var i = 0; i < item.Prompt.Count; i++)
        {
            if (item.Prompt[i].Role == Roles.User)
            {
                lastUser = i;
            }
        }

        for (var i = 0; i < item.Prompt.Count; i++)
        {
            var message = item.Prompt[i];
            if (_system is not null && message.Role == Roles.System)
            {
                continue;
            }

            messages.Add(i == lastUser && _user is not null
                ? new Message(Roles.User, _user.Replace(Placeholder, message.Content, StringComparison.Ordinal))
                : new Message(message.Role, message.Content));
        }

        return messages;
    }

    private static (string Text, byte[] Bytes) Read(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return (new UTF8Encoding(false, true).GetString(bytes).Trim(), bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"{path}: cannot read the prompt file: {ex.Message}");
        }
        catch (DecoderFallbackException)
        {
            throw new CurationException($"{path}: the prompt file is not valid UTF-8");
        }
    }
}
