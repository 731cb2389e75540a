using Curation.Tokenization.Tokenizers;

namespace Curation.Tokenization.Tests.Tokenizers;

public class NamedEncodingTests
{
    public static TheoryData<string, int> AllCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var encoding in TokenizerCatalog.Encodings)
        {
            foreach (var row in TiktokenReference.Indexes(encoding))
            {
                data.Add((string)row[0], (int)row[1]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Encode_GivesTiktokensIds(string encoding, int index)
    {
        var (_, text, expected) = TiktokenReference.Cases[index];
        var tokenizer = TokenizerCatalog.Load(encoding, ".");

        Assert.Equal(expected, tokenizer.Encode(text));
        Assert.Equal(expected.Length, tokenizer.CountTokens(text));
        Assert.Equal(text, tokenizer.Decode(expected));
    }

    [Fact]
    public void EveryEncoding_HasReferenceCases()
    {
        Assert.All(TokenizerCatalog.Encodings, encoding => Assert.Equal(14, TiktokenReference.Cases.Count(c => c.Encoding == encoding)));
    }

    [Fact]
    public void SpecialTokens_AreEncodedAsThemselves()
    {
        var tokenizer = TokenizerCatalog.Load("cl100k_base", ".");

        Assert.Equal(100257, tokenizer.SpecialTokens["<|endoftext|>"]);
        Assert.Equal([100257], tokenizer.Encode("<|endoftext|>"));
    }

    [Fact]
    public void Load_IsCached_AndSafeFromManyThreads()
    {
        var first = TokenizerCatalog.Load("o200k_base", ".");
        var counts = new int[64];

        Parallel.For(0, counts.Length, i => counts[i] = TokenizerCatalog.Load("o200k_base", ".").CountTokens($"thread {i} counts these words"));

        Assert.Same(first, TokenizerCatalog.Load("o200k_base", "."));
        Assert.All(counts, count => Assert.Equal(first.CountTokens("thread 0 counts these words"), count));
    }

    [Fact]
    public void UnknownName_IsAClearError()
    {
        var error = Assert.Throws<Core.CurationException>(() => TokenizerCatalog.Load("p51k_base", "/nonexistent"));

        Assert.Contains("not a named encoding (gpt2, r50k_base, cl100k_base, o200k_base)", error.Message, StringComparison.Ordinal);
    }
}
