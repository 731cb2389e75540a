using System.Text.Json;
using Curation.Core;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// Loads a Hugging Face <c>tokenizer.json</c> whose model is byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM) into the
/// library's <see cref="BpeTokenizer"/>: vocabulary, merges, added tokens as special tokens, every step of the
/// pre-tokenizer (<see cref="SplitPreTokenizer"/>) and the normaliser (<see cref="TokenizerJsonNormalizer"/>).
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

        var preTokenizer = new SplitPreTokenizer(PreTokenizerSteps(root, path), special);
        var options = new BpeOptions(vocabulary)
        {
            Merges = merges,
            ByteLevel = true,
            SpecialTokens = special,
            PreTokenizer = preTokenizer,
            Normalizer = TokenizerJsonNormalizer.Read(root, path),
            UnknownToken = model.TryGetProperty("unk_token", out var unknown) && unknown.ValueKind == JsonValueKind.String ? unknown.GetString() : null,
        };
        return new TextTokenizer(Path.GetDirectoryName(Path.GetFullPath(path)) ?? path, () => BpeTokenizer.Create(options), _ => special, preTokenizer: preTokenizer);
    }

    private static string MergeLine(string? left, string? right, string path) =>
        left is null || right is null || left.Contains(' ', StringComparison.Ordinal) || right.Contains(' ', StringComparison.Ordinal)
            ? throw new CurationException($"{path}: a merge holds a token with a space ('{left}', '{right}'); only byte-level vocabularies are supported")
            : $"{left} {right}";

    /// <summary>The pre-tokenizer's splits in order (a Sequence's every step); byte-level mapping is required, as in every model this loads.</summary>
    private static List<SplitStep> PreTokenizerSteps(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            throw new CurationException($"{path}: pre_tokenizer is missing; expected ByteLevel (byte-level BPE)");
        }

        var steps = new List<SplitStep>();
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
                        steps.Add(new SplitStep(Regex(Gpt2Pattern, path)));
                    }

                    break;
                case "Split":
                    var pattern = step.GetProperty("pattern");
                    var regex = pattern.TryGetProperty("Regex", out var expression)
                        ? Regex(expression.GetString()!, path)
                        : Regex(System.Text.RegularExpressions.Regex.Escape(pattern.GetProperty("String").GetString()!), path);
                    steps.Add(new SplitStep(regex, Behavior(step, path), step.TryGetProperty("invert", out var invert) && invert.ValueKind == JsonValueKind.True));
                    break;
                case "Digits":
                    var individual = step.TryGetProperty("individual_digits", out var digits) && digits.ValueKind == JsonValueKind.True;
                    steps.Add(new SplitStep(Regex("[0-9]", path), individual ? SplitBehavior.Isolated : SplitBehavior.Contiguous));
                    break;
                case var other:
                    throw new CurationException($"{path}: pre_tokenizer step '{other}' is not supported; expected Split, Digits and ByteLevel");
            }
        }

        return byteLevel
            ? steps
            : throw new CurationException($"{path}: pre_tokenizer has no ByteLevel step; only byte-level BPE tokenizers are supported");
    }

    private static CodePointRegex Regex(string pattern, string path)
    {
        try
        {
            return new CodePointRegex(pattern);
        }
        catch (ArgumentException ex)
        {
            throw new CurationException($"{path}: pre_tokenizer regex '{pattern}' is not one .NET can run: {ex.Message}", ex);
        }
    }

    private static SplitBehavior Behavior(JsonElement step, string path)
    {
        var name = step.TryGetProperty("behavior", out var behavior) ? behavior.GetString() : "Isolated";
        return Enum.TryParse<SplitBehavior>(name, ignoreCase: false, out var value) && Enum.IsDefined(value)
            ? value
            : throw new CurationException($"{path}: pre_tokenizer Split behavior '{name}' is not one of {string.Join(", ", Enum.GetNames<SplitBehavior>())}");
    }

    private static JsonElement Property(JsonElement element, string name, string path, JsonValueKind kind) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new CurationException($"{path}: '{name}' is missing or not {(kind == JsonValueKind.Object ? "an object" : "an array")}");
}
