using System.Security.Cryptography;
using System.Text;
using Curation.Core.Records;
using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// Writes what Qwen2.5's own chat template (recognised by its exact text) renders for a conversation of system, user
/// and assistant messages, with no tools: ChatML turns (<c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>),
/// after the template's default system turn when the first message is not a system message. That default turn is
/// part of the first message's turn, as <see cref="JinjaChatTemplate.Render(IReadOnlyList{Message}, bool)"/> locates it (the template cannot
/// render an empty conversation, so the first turn starts at the beginning).
/// </summary>
internal sealed class Qwen25TurnWriter : TurnWriter
{
    private const string TurnStart = "<|im_start|>";
    private const string TurnEnd = "<|im_end|>\n";
    private const string DefaultSystemTurn = TurnStart + "system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant." + TurnEnd;

    // SHA-256 of the UTF-8 chat_template of Qwen2.5's tokenizer_config.json (one template for the 0.5B-72B Instruct models).
    private static readonly byte[] TemplateHash = Convert.FromHexString("cd8e9439f0570856fd70470bf8889ebd8b5d1107207f67a5efb46e342330527f");

    // What the template reads besides each message's role and content; a template variable of one of these names
    // changes what it writes.
    private static readonly HashSet<string> ReadVariables = new(StringComparer.Ordinal) { "messages", "tools", "add_generation_prompt" };

    private readonly int _maxLength;

    private Qwen25TurnWriter(int maxLength)
    {
        _maxLength = maxLength;
    }

    /// <summary>
    /// A writer for <paramref name="template"/> when it is Qwen2.5's, and counting <paramref name="tokenizer"/>'s
    /// tokens turn by turn gives the whole text's count: each turn begins with <c>&lt;|im_start|&gt;</c>, a special
    /// token, where no special token of the tokenizer can reach across from the turn before; else null.
    /// </summary>
    public static Qwen25TurnWriter? For(JinjaChatTemplate template, TextTokenizer tokenizer)
    {
        var recognised = SHA256.HashData(Encoding.UTF8.GetBytes(template.Source)).AsSpan().SequenceEqual(TemplateHash)
            && !template.VariableNames.Any(ReadVariables.Contains);
        var separate = tokenizer.SpecialTokens.ContainsKey(TurnStart) && !SpecialTokenJoins(tokenizer.SpecialTokens.Keys, TurnEnd, TurnStart);
        return recognised && separate ? new Qwen25TurnWriter(template.Limits.MaxOutputLength) : null;
    }

    public override bool TryWrite(IReadOnlyList<Message> messages, ReadOnlySpan<string> contents, TurnText text)
    {
        text.Clear();
        if (messages.Count == 0)
        {
            return false;
        }

        text.StartTurn();
        if (messages[0].Role != Roles.System)
        {
            text.Append(DefaultSystemTurn);
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i].Role;
            if (role is not (Roles.System or Roles.User or Roles.Assistant))
            {
                return false;
            }

            if (i > 0)
            {
                text.StartTurn();
            }

            text.Append(TurnStart);
            text.Append(role);
            text.Append("\n");
            text.Append(contents[i]);
            text.Append(TurnEnd);
        }

        text.EndTurns();

        // Longer, the template stops with an error the stage reports.
        return text.Length <= _maxLength;
    }

    /// <summary>Whether some special token could match across the point between text ending with <paramref name="before"/> and text starting with <paramref name="after"/>.</summary>
    internal static bool SpecialTokenJoins(IEnumerable<string> specialTokens, string before, string after)
    {
        foreach (var token in specialTokens)
        {
            for (var split = 1; split < token.Length; split++)
            {
                var left = token.AsSpan(0, split);
                var right = token.AsSpan(split);
                var leftFits = before.AsSpan().EndsWith(left, StringComparison.Ordinal) || left.EndsWith(before, StringComparison.Ordinal);
                var rightFits = after.AsSpan().StartsWith(right, StringComparison.Ordinal) || right.StartsWith(after, StringComparison.Ordinal);
                if (leftFits && rightFits)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
