using Curation.TestKit;
using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization.Tests.Tokenizers;

public class HuggingFaceTokenizerJsonTests
{
    private static string TinyTokenizerJson(string merges, string preTokenizer = """{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}""", string model = "BPE") => $$"""
        {
          "version": "1.0",
          "added_tokens": [{"id": 100, "content": "<|end|>", "special": true}],
          "normalizer": null,
          "pre_tokenizer": {{preTokenizer}},
          "model": {
            "type": "{{model}}",
            "vocab": {"h": 0, "e": 1, "l": 2, "o": 3, "Ġ": 4, "w": 5, "r": 6, "d": 7, "he": 8, "ll": 9, "hell": 10, "hello": 11, "Ġw": 12},
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

    [Theory]
    [InlineData("Unigram", "model.type 'Unigram' is not supported; expected BPE")]
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
}
