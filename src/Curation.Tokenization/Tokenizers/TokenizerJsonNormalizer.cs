using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Curation.Core;
using Curation.Core.Unicode;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// The <c>normalizer</c> of a tokenizer.json as steps applied in order: Unicode forms (NFC, NFD, NFKC, NFKD) through the
/// project's own tables, since <see cref="string.Normalize()"/> does nothing under InvariantGlobalization; Lowercase;
/// Replace; and Sequence of those. Every step acts on each character with its neighbours only, so normalising each
/// message and then the rendered conversation gives the same text as normalising the conversation once.
/// </summary>
internal sealed class TokenizerJsonNormalizer : Normalizer
{
    /// <summary>The step types this reads; any other is refused by name.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["NFC", "NFD", "NFKC", "NFKD", "Lowercase", "Replace", "Sequence"];

    private readonly Func<string, string>[] _steps;

    // For each step, a check that it surely leaves a text unchanged (false where it may change it), or null where
    // there is no cheap check.
    private readonly UnchangedCheck?[] _unchanged;

    private TokenizerJsonNormalizer(List<(Func<string, string> Step, UnchangedCheck? Unchanged)> steps)
    {
        _steps = [.. steps.Select(step => step.Step)];
        _unchanged = [.. steps.Select(step => step.Unchanged)];
    }

    private delegate bool UnchangedCheck(ReadOnlySpan<char> text);

    /// <summary>Whether normalising <paramref name="text"/> surely gives it back unchanged (false: it may not).</summary>
    public bool LeavesUnchanged(ReadOnlySpan<char> text)
    {
        foreach (var check in _unchanged)
        {
            if (check is null || !check(text))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The normaliser of <paramref name="root"/>'s <c>normalizer</c>, or null where it has none.</summary>
    /// <exception cref="CurationException">A step this does not support.</exception>
    public static TokenizerJsonNormalizer? Read(JsonElement root, string path)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var steps = new List<(Func<string, string>, UnchangedCheck?)>();
        AddSteps(normalizer, path, steps);
        return steps.Count == 0 ? null : new TokenizerJsonNormalizer(steps);
    }

    public override string Normalize(string original)
    {
        var text = original;
        foreach (var step in _steps)
        {
            text = step(text);
        }

        return text;
    }

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

    private static void AddSteps(JsonElement step, string path, List<(Func<string, string>, UnchangedCheck?)> steps)
    {
        var type = step.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
        switch (type)
        {
            case "NFC":
                steps.Add((text => UnicodeNormalizer.Normalize(text, compatibility: false), text => UnicodeNormalizer.IsNormalized(text, compatibility: false)));
                break;
            case "NFKC":
                steps.Add((text => UnicodeNormalizer.Normalize(text, compatibility: true), text => UnicodeNormalizer.IsNormalized(text, compatibility: true)));
                break;
            case "NFD":
                steps.Add((text => UnicodeNormalizer.Decompose(text, compatibility: false), Ascii.IsValid));
                break;
            case "NFKD":
                steps.Add((text => UnicodeNormalizer.Decompose(text, compatibility: true), Ascii.IsValid));
                break;
            case "Lowercase":
                steps.Add((text => text.ToLowerInvariant(), null));
                break;
            case "Replace":
                steps.Add((Replace(step, path), null));
                break;
            case "Sequence" when step.TryGetProperty("normalizers", out var inner) && inner.ValueKind == JsonValueKind.Array:
                foreach (var part in inner.EnumerateArray())
                {
                    AddSteps(part, path, steps);
                }

                break;
            default:
                throw new CurationException($"{path}: normalizer '{type}' is not supported; expected none or {string.Join(", ", Supported)}");
        }
    }

    private static Func<string, string> Replace(JsonElement step, string path)
    {
        var content = step.TryGetProperty("content", out var contentElement) ? contentElement.GetString() ?? "" : "";
        if (step.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.Object)
        {
            if (pattern.TryGetProperty("String", out var literal) && literal.GetString() is { Length: > 0 } find)
            {
                return text => text.Replace(find, content, StringComparison.Ordinal);
            }

            if (pattern.TryGetProperty("Regex", out var expression) && expression.GetString() is { Length: > 0 } source)
            {
                var regex = new Regex(CodePointRegex.Translate(source), RegexOptions.CultureInvariant);
                return text => regex.Replace(text, _ => content);
            }
        }

        throw new CurationException($"{path}: normalizer Replace needs a pattern (String or Regex)");
    }
}
