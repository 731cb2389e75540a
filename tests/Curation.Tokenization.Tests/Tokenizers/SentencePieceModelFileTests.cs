using Curation.TestKit;
using Curation.Tokenization.Tokenizers;
using static Curation.Tokenization.Tests.Tokenizers.SentencePieceModelWriter;

namespace Curation.Tokenization.Tests.Tokenizers;

public class SentencePieceModelFileTests
{
    // Characters, then merges whose scores (higher first) give the BPE order: he, ll, ▁he, ▁hell, ▁hello.
    private static readonly (string, float, int)[] Pieces =
    [
        ("<unk>", 0, Unknown), ("<s>", 0, Control), ("</s>", 0, Control),
        ("▁", -10, Normal), ("h", -10, Normal), ("e", -10, Normal), ("l", -10, Normal), ("o", -10, Normal),
        ("w", -10, Normal), ("r", -10, Normal), ("d", -10, Normal),
        ("he", -1, Normal), ("ll", -2, Normal), ("▁he", -3, Normal), ("▁hell", -4, Normal), ("▁hello", -5, Normal),
    ];

    [Fact]
    public void ModelFolder_EncodesAsItsPiecesAndScoresSay_WithControlTokensWhole()
    {
        using var temp = new TempFolder();
        temp.Write("llama/tokenizer.model", Bpe(Pieces));

        var tokenizer = TokenizerCatalog.Load("llama", temp.Path);

        // ▁hello, then ▁ w o r l d (no merges for "world"), then </s> as one token.
        Assert.Equal([15, 3, 8, 7, 9, 6, 10, 2], tokenizer.Encode("hello world</s>"));
        Assert.Equal(1, tokenizer.SpecialTokens["<s>"]);
    }

    [Fact]
    public void NotAModel_IsAClearError()
    {
        using var temp = new TempFolder();
        var path = temp.Write("tokenizer.model", "this is not protobuf");

        var error = Assert.Throws<Core.CurationException>(() => SentencePieceModelFile.Load(path));

        Assert.Contains("tokenizer.model: not a SentencePiece model", error.Message, StringComparison.Ordinal);
    }
}
