using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.TestKit;

namespace Curation.Tokenization.Tests.Tokenizers;

/// <summary>
/// Token ids that Hugging Face's tokenizers give for the real Qwen2.5 and Qwen3 tokenizer.json files in
/// <c>../shared/fixtures/tokenizers</c>, and for Qwen2.5's vocabulary under a DeepSeek-style Sequence pre-tokenizer
/// (<c>qwen2.5-sequence</c>, which <see cref="TokenizerFolder"/> writes). Produced once with transformers.js 4.3.2 by
/// Reference/transformers-reference.cjs (see Reference/README.md) and stored in transformers-reference.jsonl.
/// </summary>
public static class TransformersReference
{
    public static IReadOnlyList<(string Tokenizer, string Text, int[] Ids)> Cases { get; } = Load();

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Cases.Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    /// <summary>The folder holding the named tokenizer's tokenizer.json, or null where the shared fixtures are absent.</summary>
    public static string? TokenizerFolder(string tokenizer, TempFolder temp, Func<JsonNode, JsonNode>? preTokenizer = null)
    {
        var fixtures = RepositoryPaths.SharedFixtureFolder("tokenizers");
        if (fixtures is null || !File.Exists(Path.Combine(fixtures, "qwen2.5", "tokenizer.json")))
        {
            return null;
        }

        if (!tokenizer.EndsWith("-sequence", StringComparison.Ordinal) && preTokenizer is null)
        {
            return Path.Combine(fixtures, tokenizer);
        }

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, tokenizer.Replace("-sequence", "", StringComparison.Ordinal), "tokenizer.json")))!;
        var sequence = JsonNode.Parse(SequencePreTokenizer)!;
        json["pre_tokenizer"] = preTokenizer is null ? sequence : preTokenizer(sequence);
        var folder = temp.File(tokenizer + (preTokenizer is null ? "" : "-changed"));
        temp.Write(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
        return folder;
    }

    /// <summary>DeepSeek-style: digits in threes, CJK runs, then words and punctuation, then bytes.</summary>
    public const string SequencePreTokenizer = """
        {"type": "Sequence", "pretokenizers": [
          {"type": "Split", "pattern": {"Regex": "\\p{N}{1,3}"}, "behavior": "Isolated", "invert": false},
          {"type": "Split", "pattern": {"Regex": "[一-龥\u3040-ゟ゠-ヿ]+"}, "behavior": "Isolated", "invert": false},
          {"type": "Split", "pattern": {"Regex": "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+"}, "behavior": "Isolated", "invert": false},
          {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}
        ]}
        """;

    private static List<(string, string, int[])> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Tokenizers", "transformers-reference.jsonl");
        return [.. File.ReadLines(path).Where(line => line.Length > 0).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return (root.GetProperty("tokenizer").GetString()!, root.GetProperty("text").GetString()!, root.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray());
        })];
    }
}
