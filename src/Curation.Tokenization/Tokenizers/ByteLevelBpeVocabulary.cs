using System.Text.Json;

namespace Curation.Tokenization.Tokenizers;

/// <summary>
/// A byte-level BPE vocabulary in Hugging Face form (tokens in <see cref="ByteLevelAlphabet"/>, ids, ordered merges),
/// derived from tiktoken ranks the way transformers converts tiktoken models (Llama 3): every split of a token into
/// two tokens is a merge, ordered by the merged token's rank. Written as a tokenizer.json, it encodes as tiktoken does.
/// </summary>
public sealed class ByteLevelBpeVocabulary
{
    private ByteLevelBpeVocabulary(IReadOnlyDictionary<string, int> vocabulary, IReadOnlyList<(string Left, string Right)> merges)
    {
        Vocabulary = vocabulary;
        Merges = merges;
    }

    public IReadOnlyDictionary<string, int> Vocabulary { get; }

    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    public static ByteLevelBpeVocabulary FromTiktoken(TiktokenRanks ranks)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        var vocabulary = new Dictionary<string, int>(ranks.Tokens.Count, StringComparer.Ordinal);
        foreach (var (bytes, rank) in ranks.Tokens)
        {
            vocabulary[ByteLevelAlphabet.ToText(bytes)] = rank;
        }

        var merges = new List<(string Left, string Right, int Rank, int LeftRank, int RightRank)>();
        foreach (var (bytes, rank) in ranks.Tokens)
        {
            var text = ByteLevelAlphabet.ToText(bytes);
            for (var split = 1; split < text.Length; split++)
            {
                if (vocabulary.TryGetValue(text[..split], out var left) && vocabulary.TryGetValue(text[split..], out var right))
                {
                    merges.Add((text[..split], text[split..], rank, left, right));
                }
            }
        }

        merges.Sort((a, b) => (a.Rank, a.LeftRank, a.RightRank).CompareTo((b.Rank, b.LeftRank, b.RightRank)));
        return new ByteLevelBpeVocabulary(vocabulary, [.. merges.Select(m => (m.Left, m.Right))]);
    }

    /// <summary>
    /// Writes a tokenizer.json: this vocabulary, the pre-tokenizer regex <paramref name="pattern"/> (then byte-level
    /// mapping), and <paramref name="specialTokens"/> as added special tokens.
    /// </summary>
    public void WriteTokenizerJson(string path, string pattern, IReadOnlyDictionary<string, int> specialTokens)
    {
        using var stream = File.Create(path);
        WriteTokenizerJson(stream, pattern, specialTokens);
    }

    /// <inheritdoc cref="WriteTokenizerJson(string, string, IReadOnlyDictionary{string, int})"/>
    public void WriteTokenizerJson(Stream stream, string pattern, IReadOnlyDictionary<string, int> specialTokens)
    {
        ArgumentNullException.ThrowIfNull(specialTokens);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("version", "1.0");
        json.WriteNull("truncation");
        json.WriteNull("padding");
        json.WriteStartArray("added_tokens");
        foreach (var (content, id) in specialTokens.OrderBy(pair => pair.Value))
        {
            json.WriteStartObject();
            json.WriteNumber("id", id);
            json.WriteString("content", content);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("special", true);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNull("normalizer");
        json.WriteStartObject("pre_tokenizer");
        json.WriteString("type", "Sequence");
        json.WriteStartArray("pretokenizers");
        json.WriteStartObject();
        json.WriteString("type", "Split");
        json.WriteStartObject("pattern");
        json.WriteString("Regex", pattern);
        json.WriteEndObject();
        json.WriteString("behavior", "Isolated");
        json.WriteBoolean("invert", false);
        json.WriteEndObject();
        json.WriteStartObject();
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", false);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", false);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteNull("post_processor");
        json.WriteStartObject("decoder");
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", true);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", true);
        json.WriteEndObject();
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteNull("unk_token");
        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteBoolean("ignore_merges", true);
        json.WriteStartObject("vocab");
        foreach (var (token, id) in Vocabulary.OrderBy(pair => pair.Value))
        {
            json.WriteNumber(token, id);
        }

        json.WriteEndObject();
        json.WriteStartArray("merges");
        foreach (var (left, right) in Merges)
        {
            json.WriteStartArray();
            json.WriteStringValue(left);
            json.WriteStringValue(right);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
