using Curation.Core.Records;
using Curation.TestKit;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Data;

namespace Curation.Training.Tests.Training;

public class ChatExampleEncoderTests
{
    [Fact]
    public void SentencePiece_SupervisesExactlyTheAssistantTokens_AfterTheBeginningToken()
    {
        using var temp = new TempFolder();
        temp.Write("llama/tokenizer.model", SentencePieceModelWriter.Bpe(SentencePieceModelWriter.HelloPieces));
        var tokenizer = TokenizerCatalog.Load("llama", temp.Path);
        var encoder = new ChatExampleEncoder(tokenizer, ChatTemplateCatalog.Mistral, LossOn.Assistant);

        var example = encoder.Encode([new(Roles.User, "hello world"), new(Roles.Assistant, "hello")]);

        // <s> | ▁ [INST](unknown) ▁hello ▁ w o r l d ▁ [/INST](unknown) | he ll o | </s>: the library's offsets restarted
        // at 0 after <s>, so the mask fell on the wrong tokens.
        Assert.Equal([1, 3, 0, 15, 3, 8, 7, 9, 6, 10, 3, 0, 11, 12, 7, 2], example.Ids);
        Assert.Equal([false, false, false, false, false, false, false, false, false, false, false, false, true, true, true, true], example.Supervised);
    }

    [SkippableFact]
    public void NfcTokenizer_SupervisesExactlyTheAssistantTokens_AfterDecomposedText()
    {
        var folder = RepositoryPaths.SharedFixtureFolder("tokenizers/qwen2.5");
        Skip.If(folder is null, "../shared/fixtures/tokenizers is absent: the Qwen tokenizer was not checked");
        var tokenizer = TokenizerCatalog.Load(folder, RepositoryPaths.Root);
        var encoder = new ChatExampleEncoder(tokenizer, ChatTemplateCatalog.ChatMl, LossOn.Assistant);
        var decomposed = string.Concat(Enumerable.Repeat("cafe\u0301 nai\u0308ve ", 10));

        var example = encoder.Encode([new(Roles.User, decomposed), new(Roles.Assistant, "Seven.")]);

        // NFC shortens the user turn by 20 characters; offsets into the normalised text must still meet the turns.
        var supervised = example.Ids.Where((_, i) => example.Supervised[i]).ToArray();
        Assert.Equal(tokenizer.Encode("Seven.<|im_end|>\n"), supervised);
        Assert.Equal(tokenizer.CountTokens(ChatTemplateCatalog.ChatMl.Render([new(Roles.User, decomposed), new(Roles.Assistant, "Seven.")]).Text), example.Ids.Length);
    }
}
