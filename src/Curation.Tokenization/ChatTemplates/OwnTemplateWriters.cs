using System.Security.Cryptography;
using System.Text;
using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// The <see cref="TurnWriter"/> for a model's own template where Curation knows it (recognised by its exact text):
/// Qwen2.5's and Qwen3's. Both write ChatML turns, each beginning with the special token <c>&lt;|im_start|&gt;</c>,
/// and are counted turn by turn only where that gives the whole text's count.
/// </summary>
internal static class OwnTemplateWriters
{
    public const string TurnStart = "<|im_start|>";
    public const string TurnEnd = "<|im_end|>\n";

    // What these templates read besides each message's role and content; a template variable of one of these names
    // changes what they write.
    private static readonly HashSet<string> ReadVariables = new(StringComparer.Ordinal) { "messages", "tools", "add_generation_prompt" };

    // SHA-256 of the UTF-8 chat_template of the models' tokenizer_config.json.
    private static readonly (byte[] Hash, Func<int, TurnWriter> Create)[] Known =
    [
        (Convert.FromHexString("cd8e9439f0570856fd70470bf8889ebd8b5d1107207f67a5efb46e342330527f"), maxLength => new Qwen25TurnWriter(maxLength)),
        (Convert.FromHexString("87a2728cb8dc9fe424d624542f6060ec05a1d285ebbec578bb078900e33396b5"), maxLength => new Qwen3TurnWriter(maxLength)),
    ];

    /// <summary>
    /// The writer for <paramref name="template"/> when it is one of the known ones and counting
    /// <paramref name="tokenizer"/>'s tokens turn by turn gives the whole text's count: <c>&lt;|im_start|&gt;</c> is a
    /// special token, and no special token of the tokenizer can reach across from the turn before; else null.
    /// </summary>
    public static TurnWriter? For(JinjaChatTemplate template, TextTokenizer tokenizer)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(template.Source));
        var known = Known.FirstOrDefault(k => k.Hash.AsSpan().SequenceEqual(hash));
        var separate = tokenizer.SpecialTokens.ContainsKey(TurnStart) && !SpecialTokenJoins(tokenizer.SpecialTokens.Keys, TurnEnd, TurnStart);
        return known.Create is not null && separate && !template.VariableNames.Any(ReadVariables.Contains)
            ? known.Create(template.Limits.MaxOutputLength)
            : null;
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
