using Curation.TestKit;
using Curation.Tokenization.Tokenizers;
using static Curation.TestKit.SentencePieceModelWriter;

namespace Curation.Tokenization.Tests.Tokenizers;

public class SentencePieceModelFileTests
{
    private static readonly IReadOnlyList<(string, float, int)> Pieces = HelloPieces;

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

    [Fact]
    public void Offsets_ReferToTheTextGiven_AfterControlTokensToo()
    {
        using var temp = new TempFolder();
        var tokenizer = SentencePieceModelFile.Load(temp.Write("tokenizer.model", Bpe(Pieces)));
        const string text = "<s>hello world</s><s> hello";

        var tokens = tokenizer.EncodeWithOffsets(text);

        // The dummy prefix comes once, before the first text: "▁hello" covers "hello". After </s><s> the leading space
        // goes (remove_extra_whitespaces) and no prefix comes: he ll o. The library's offsets restarted at 0 after <s>.
        Assert.Equal(
            [(1, "<s>"), (15, "hello"), (3, " "), (8, "w"), (7, "o"), (9, "r"), (6, "l"), (10, "d"), (2, "</s>"), (1, "<s>"), (11, "he"), (12, "ll"), (7, "o")],
            tokens.Select(t => (t.Id, text[t.Start..t.End])));
    }

    [Fact]
    public void CountingPieces_GivesTheWholeTextsCount()
    {
        using var temp = new TempFolder();
        var tokenizer = SentencePieceModelFile.Load(temp.Write("tokenizer.model", Bpe(Pieces)));
        const string text = "<s>hello world</s><s>hello";
        var counts = new int[3];

        tokenizer.CountTokens(text, [0..3, 3..18, 18..text.Length], counts);

        // Alone, "hello" after <s> would take a dummy prefix (▁hello); within the text it does not (he ll o).
        Assert.Equal([1, 8, 4], counts);
        Assert.Equal(tokenizer.CountTokens(text), counts.Sum());
    }
}
