using Curation.TestKit;
using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization.Tests.Tokenizers;

public class HuggingFaceTokenizerJsonTests
{
    private const string TinyVocabulary = """{"h": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "w": 5, "r": 6, "d": 7, "he": 8, "ll": 9, "hell": 10, "hello": 11, "Ġw": 12}""";

    private static string TinyTokenizerJson(
        string merges,
        string preTokenizer = """{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}""",
        string model = "BPE",
        string vocabulary = TinyVocabulary,
        string normalizer = "null") => $$"""
        {
          "version": "1.0",
          "added_tokens": [{"id": 100, "content": "<|end|>", "special": true}],
          "normalizer": {{normalizer}},
          "pre_tokenizer": {{preTokenizer}},
          "model": {
            "type": "{{model}}",
            "vocab": {{vocabulary}},
            "merges": {{merges}}
          }
        }
        """;

    [Fact]
    public void ModelFolder_EncodesAsItsVocabularyAndMergesSay()
    {
        using var temp = new TempFolder();
        temp.Write("model/tokenizer.json", TinyTokenizerJson("""["h e", "l l", "he ll", "hell o", "Ġ w"]"""));

        var tokenizer = TokenizerCatalog.Load("model", temp.Path);

        Assert.Equal([11, 12, 3, 6, 2, 7, 100], tokenizer.Encode("hello world<|end|>"));
        Assert.Equal("hello world<|end|>", tokenizer.Decode([11, 12, 3, 6, 2, 7, 100]));
    }

    [Fact]
    public void MergeOrder_DecidesTheSplit()
    {
        using var temp = new TempFolder();
        // Without "he ll", "hell" cannot form: the word ends as he + ll + o.
        temp.Write("model/tokenizer.json", TinyTokenizerJson("""[["h", "e"], ["l", "l"], ["Ġ", "w"]]"""));

        Assert.Equal([8, 9, 3], TokenizerCatalog.Load("model", temp.Path).Encode("hello"));
    }

    [Fact]
    public void Gpt2Ranks_WrittenAsTokenizerJson_EncodeAsTiktokenDoes()
    {
        using var temp = new TempFolder();
        var path = temp.File("gpt2/tokenizer.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ByteLevelBpeVocabulary.FromTiktoken(TiktokenRanks.ForEncoding("gpt2"))
            .WriteTokenizerJson(path, HuggingFaceTokenizerJson.Gpt2Pattern, new Dictionary<string, int> { ["<|endoftext|>"] = 50256 });

        var tokenizer = HuggingFaceTokenizerJson.Load(path);

        Assert.All(TiktokenReference.Cases.Where(c => c.Encoding == "gpt2"), c => Assert.Equal(c.Ids, tokenizer.Encode(c.Text)));
    }

    [Fact]
    public void Cl100kRanks_WithTheLlama3SplitPattern_EncodeAsTiktokenDoes()
    {
        using var temp = new TempFolder();
        var path = temp.File("tokenizer.json");
        const string llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
        ByteLevelBpeVocabulary.FromTiktoken(TiktokenRanks.ForEncoding("cl100k_base"))
            .WriteTokenizerJson(path, llama3Pattern, new Dictionary<string, int> { ["<|endoftext|>"] = 100257 });

        var tokenizer = HuggingFaceTokenizerJson.Load(path);

        Assert.All(TiktokenReference.Cases.Where(c => c.Encoding == "cl100k_base"), c => Assert.Equal(c.Ids, tokenizer.Encode(c.Text)));
    }

    [SkippableTheory]
    [MemberData(nameof(TransformersReference.Indexes), MemberType = typeof(TransformersReference))]
    public void RealTokenizerJson_GivesHuggingFacesIds(int index)
    {
        var (name, text, expected) = TransformersReference.Cases[index];
        using var temp = new TempFolder();
        var folder = TransformersReference.TokenizerFolder(name, temp);
        Skip.If(folder is null, "../shared/fixtures/tokenizers is absent: the Qwen tokenizer.json files were not checked");

        var tokenizer = HuggingFaceTokenizerJson.Load(Path.Combine(folder, "tokenizer.json"));

        Assert.Equal(expected, tokenizer.Encode(text));
        Assert.Equal(expected.Length, tokenizer.CountTokens(text));
        Assert.Equal(expected.Length, tokenizer.EncodeWithOffsets(text).Count);
    }

    [SkippableFact]
    public void PossessiveQuantifiers_LoadAndSplitAsTheirGreedyForms()
    {
        using var temp = new TempFolder();
        var folder = TransformersReference.TokenizerFolder("qwen2.5-sequence", temp, sequence =>
        {
            sequence["pretokenizers"]![0]!["pattern"]!["Regex"] = @"\p{N}{1,3}+";
            sequence["pretokenizers"]![2]!["pattern"]!["Regex"] = sequence["pretokenizers"]![2]!["pattern"]!["Regex"]!.GetValue<string>()
                .Replace(@"]?[\p{L}\p{M}]+", @"]?+[\p{L}\p{M}]++", StringComparison.Ordinal);
            return sequence;
        });
        Skip.If(folder is null, "../shared/fixtures/tokenizers is absent");

        var tokenizer = HuggingFaceTokenizerJson.Load(Path.Combine(folder, "tokenizer.json"));

        Assert.All(TransformersReference.Cases.Where(c => c.Tokenizer == "qwen2.5-sequence"), c => Assert.Equal(c.Ids, tokenizer.Encode(c.Text)));
    }

    [SkippableFact]
    public void DecomposedText_CountsAsHuggingFaceDoes_AfterNfc()
    {
        using var temp = new TempFolder();
        var folder = TransformersReference.TokenizerFolder("qwen2.5", temp);
        Skip.If(folder is null, "../shared/fixtures/tokenizers is absent");
        var tokenizer = HuggingFaceTokenizerJson.Load(Path.Combine(folder, "tokenizer.json"));
        const string decomposed = "cafe\u0301 nai\u0308ve a\u0300 la\u0300";

        // Before the project's own NFC (string.Normalize does nothing under InvariantGlobalization) this counted 18.
        Assert.Equal(6, tokenizer.CountTokens(decomposed));
        Assert.Equal("caf\u00E9 na\u00EFve \u00E0 l\u00E0", tokenizer.Normalize(decomposed));
    }

    [Fact]
    public void SequenceOfSplits_KeepsTextNoRegexCovers()
    {
        using var temp = new TempFolder();
        // Split digits in threes, then a regex that matches only letters: digits and spaces stay as pieces of their own.
        var path = temp.Write("tokenizer.json", TinyTokenizerJson(
            merges: """["1 2", "12 1"]""",
            preTokenizer: """
                {"type": "Sequence", "pretokenizers": [
                  {"type": "Split", "pattern": {"Regex": "\\p{N}{1,3}"}, "behavior": "Isolated", "invert": false},
                  {"type": "Split", "pattern": {"Regex": "\\p{L}+"}, "behavior": "Isolated", "invert": false},
                  {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}
                """,
            vocabulary: """{"h": 0, "e": 1, "1": 2, "2": 3, "Ġ": 4, "12": 5, "121": 6}"""));

        var tokenizer = HuggingFaceTokenizerJson.Load(path);

        // Pieces 121 | 212 | 1 | Ġ | he: 121 merges whole, 212 becomes 2 + 12. Before every Split was applied, only the
        // last one split the text and the digits and the space were dropped: [0, 1].
        Assert.Equal([6, 3, 5, 2, 4, 0, 1], tokenizer.Encode("1212121 he"));
    }

    [Theory]
    [InlineData("Unigram", "model.type 'Unigram' is not supported; expected BPE")]
    [InlineData("WordPiece", "model.type 'WordPiece' is not supported; expected BPE")]
    [InlineData("WordLevel", "model.type 'WordLevel' is not supported; expected BPE")]
    public void OtherModelTypes_AreRefusedByName(string model, string expected)
    {
        using var temp = new TempFolder();
        var path = temp.Write("tokenizer.json", TinyTokenizerJson("[]", model: model));

        Assert.Contains(expected, Assert.Throws<Core.CurationException>(() => HuggingFaceTokenizerJson.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFiles_AreClearErrorsNamingTheFile()
    {
        using var temp = new TempFolder();
        var broken = temp.Write("broken/tokenizer.json", "{\"model\": ");
        var noByteLevel = temp.Write("whitespace/tokenizer.json", TinyTokenizerJson("[]", preTokenizer: """{"type": "Whitespace"}"""));
        temp.Write("empty/readme.txt", "no tokenizer here");

        Assert.Matches(@"broken/tokenizer\.json: not valid JSON", Assert.Throws<Core.CurationException>(() => HuggingFaceTokenizerJson.Load(broken)).Message);
        Assert.Contains("pre_tokenizer step 'Whitespace' is not supported", Assert.Throws<Core.CurationException>(() => HuggingFaceTokenizerJson.Load(noByteLevel)).Message, StringComparison.Ordinal);
        Assert.Contains("has neither tokenizer.json nor tokenizer.model", Assert.Throws<Core.CurationException>(() => TokenizerCatalog.Load("empty", temp.Path)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": "NFKC"}""", "\uFB01ll", "fill")]
    [InlineData("""{"type": "NFC"}""", "he\u0301", "h\u00E9")]
    [InlineData("""{"type": "NFD"}""", "h\u00E9", "he\u0301")]
    [InlineData("""{"type": "NFKD"}""", "\uFB01\u00E9", "fie\u0301")]
    [InlineData("""{"type": "Lowercase"}""", "HeLLo \u00C9", "hello \u00E9")]
    [InlineData("""{"type": "Replace", "pattern": {"String": "$"}, "content": "$1"}""", "a$b", "a$1b")]
    [InlineData("""{"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}""", "a \t\n b", "a b")]
    [InlineData("""{"type": "Sequence", "normalizers": [{"type": "NFKD"}, {"type": "Lowercase"}, {"type": "NFC"}]}""", "\uFB01LE\u0301", "fil\u00E9")]
    public void Normalizers_WorkUnderInvariantGlobalization(string normalizer, string text, string expected)
    {
        using var temp = new TempFolder();
        var path = temp.Write("tokenizer.json", TinyTokenizerJson("[]", normalizer: normalizer));

        var tokenizer = HuggingFaceTokenizerJson.Load(path);

        Assert.True(tokenizer.Normalizes);
        Assert.Equal(expected, tokenizer.Normalize(text));
    }

    [Theory]
    [InlineData("""{"type": "Precompiled", "precompiled_charsmap": ""}""", "normalizer 'Precompiled' is not supported")]
    [InlineData("""{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Strip", "strip_left": true}]}""", "normalizer 'Strip' is not supported")]
    [InlineData("""{"type": "BertNormalizer"}""", "normalizer 'BertNormalizer' is not supported")]
    public void OtherNormalizers_AreRefusedByName(string normalizer, string expected)
    {
        using var temp = new TempFolder();
        var path = temp.Write("tokenizer.json", TinyTokenizerJson("[]", normalizer: normalizer));

        Assert.Contains(expected, Assert.Throws<Core.CurationException>(() => HuggingFaceTokenizerJson.Load(path)).Message, StringComparison.Ordinal);
    }
}
