using System.Text.Json;
using System.Text.RegularExpressions;
using Curation.Core;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// Loads a Hugging Face <c>tokenizer.json</c> whose model is byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM) into the
/// library's <see cref="BpeTokenizer"/>: vocabulary, merges, added tokens as special tokens, the pre-tokenizer's
/// split regex and an NFC normaliser where the file asks for one.
/// </summary>
public static class HuggingFaceTokenizerJson
{
    /// <summary>GPT-2's pre-tokenizer, which a bare <c>ByteLevel</c> pre-tokenizer with <c>use_regex</c> applies.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <exception cref="CurationException">The file is missing, not JSON, or not a byte-level BPE tokenizer.</exception>
    public static TextTokenizer Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return Build(path, document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new CurationException($"{path}: not valid JSON ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"{path}: cannot read the tokenizer: {ex.Message}", ex);
        }
    }

    private static TextTokenizer Build(string path, JsonElement root)
    {
        var model = Property(root, "model", path, JsonValueKind.Object);
        var type = model.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : "BPE";
        if (type != "BPE")
        {
            throw new CurationException($"{path}: model.type '{type}' is not supported; expected BPE (byte-level), or a SentencePiece tokenizer.model");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in Property(model, "vocab", path, JsonValueKind.Object).EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.TryGetInt32(out var id) ? id : throw new CurationException($"{path}: model.vocab['{entry.Name}'] must be an integer id");
        }

        var merges = new List<string>();
        foreach (var merge in Property(model, "merges", path, JsonValueKind.Array).EnumerateArray())
        {
            merges.Add(merge.ValueKind switch
            {
                JsonValueKind.String => merge.GetString()!,
                JsonValueKind.Array when merge.GetArrayLength() == 2 => MergeLine(merge[0].GetString(), merge[1].GetString(), path),
                _ => throw new CurationException($"{path}: model.merges[{merges.Count}] must be \"a b\" or [\"a\", \"b\"]"),
            });
        }

        var special = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                special[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();
            }
        }

        var pattern = PreTokenizerPattern(root, path);
        var options = new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = special,
            PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), special),
            Normalizer = NormalizerOf(root, path),
            UnknownToken = model.TryGetProperty("unk_token", out var unknown) && unknown.ValueKind == JsonValueKind.String ? unknown.GetString() : null,
        };
        return new TextTokenizer(Path.GetDirectoryName(Path.GetFullPath(path)) ?? path, () => BpeTokenizer.Create(options), _ => special);
    }

    private static string MergeLine(string? left, string? right, string path) =>
        left is null || right is null || left.Contains(' ', StringComparison.Ordinal) || right.Contains(' ', StringComparison.Ordinal)
            ? throw new CurationException($"{path}: a merge holds a token with a space ('{left}', '{right}'); only byte-level vocabularies are supported")
            : $"{left} {right}";

    /// <summary>The split regex of the pre-tokenizer; byte-level mapping is required, as in every model this loads.</summary>
    private static string PreTokenizerPattern(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            throw new CurationException($"{path}: pre_tokenizer is missing; expected ByteLevel (byte-level BPE)");
        }

        string? pattern = null;
        var byteLevel = false;
        foreach (var step in pre.GetProperty("type").GetString() == "Sequence" ? pre.GetProperty("pretokenizers").EnumerateArray().ToList() : [pre])
        {
            switch (step.GetProperty("type").GetString())
            {
                case "ByteLevel":
                    byteLevel = true;
                    if (step.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True)
                    {
                        throw new CurationException($"{path}: pre_tokenizer ByteLevel add_prefix_space: true is not supported");
                    }

                    if (!step.TryGetProperty("use_regex", out var useRegex) || useRegex.ValueKind != JsonValueKind.False)
                    {
                        pattern ??= Gpt2Pattern;
                    }

                    break;
                case "Split":
                    var regex = step.GetProperty("pattern");
                    pattern = regex.TryGetProperty("Regex", out var expression)
                        ? WithoutPossessiveQuantifiers(expression.GetString()!)
                        : Regex.Escape(regex.GetProperty("String").GetString()!);
                    break;
                case var other:
                    throw new CurationException($"{path}: pre_tokenizer step '{other}' is not supported; expected Split and ByteLevel");
            }
        }

        return byteLevel && pattern is not null
            ? pattern
            : throw new CurationException($"{path}: pre_tokenizer has no ByteLevel step; only byte-level BPE tokenizers are supported");
    }

    // tiktoken patterns use possessive quantifiers, which .NET lacks; on these patterns the greedy forms match the same.
    private static string WithoutPossessiveQuantifiers(string pattern) =>
        pattern.Replace("?+", "?", StringComparison.Ordinal).Replace("++", "+", StringComparison.Ordinal).Replace("*+", "*", StringComparison.Ordinal);

    private static NfcNormalizer? NormalizerOf(JsonElement root, string path)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return normalizer.GetProperty("type").GetString() switch
        {
            "NFC" => new NfcNormalizer(),
            var other => throw new CurationException($"{path}: normalizer '{other}' is not supported; expected none or NFC"),
        };
    }

    private static JsonElement Property(JsonElement element, string name, string path, JsonValueKind kind) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new CurationException($"{path}: '{name}' is missing or not {(kind == JsonValueKind.Object ? "an object" : "an array")}");

    private sealed class NfcNormalizer : Normalizer
    {
        public override string Normalize(string original) => original.Normalize(System.Text.NormalizationForm.FormC);

        public override string Normalize(ReadOnlySpan<char> original) => original.ToString().Normalize(System.Text.NormalizationForm.FormC);
    }
}
