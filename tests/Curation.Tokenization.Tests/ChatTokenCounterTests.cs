using Curation.Core.Records;
using Curation.TestKit;
using Curation.Tokenization.Tokenizers;
using Templates = Curation.Tokenization.ChatTemplates.ChatTemplateCatalog;

namespace Curation.Tokenization.Tests;

public class ChatTokenCounterTests
{
    private static readonly Message[] Conversation =
    [
        new(Roles.System, "You are terse."),
        new(Roles.User, "Name a prime."),
        new(Roles.Assistant, "Seven."),
    ];

    [Fact]
    public void Total_IsTheTokensOfTheRenderedText_TemplateTokensIncluded()
    {
        var tokenizer = TokenizerCatalog.Load("cl100k_base", ".");
        var counter = new ChatTokenCounter(tokenizer, Templates.ChatMl);

        var counts = counter.Count(Conversation);

        Assert.Equal(tokenizer.CountTokens(Templates.ChatMl.Render(Conversation).Text), counts.Total);
        Assert.Equal(counts.Total, counts.PerMessage.Sum());
        Assert.Equal(counts.Total, counts.Prompt + counts.Response);
        // <|im_start|> assistant \n Seven . <|im_end|> \n
        Assert.Equal(tokenizer.CountTokens("<|im_start|>assistant\nSeven.<|im_end|>\n"), counts.Response);
        Assert.True(counts.Total > tokenizer.CountTokens("You are terse.Name a prime.Seven."));
    }

    [Theory]
    [InlineData("chatml", true)]
    [InlineData("plain", false)]
    public void TurnByTurn_WhenTurnsStartWithSpecialTokens_GivesTheWholeTextsCount(string template, bool turnByTurn)
    {
        var tokenizer = TokenizerCatalog.Load("cl100k_base", ".");
        var counter = new ChatTokenCounter(tokenizer, Templates.ByName(template));
        Message[] awkward =
        [
            new(Roles.System, "\n\n  leading newlines and spaces"),
            new(Roles.User, "trailing spaces   \n\n\n"),
            new(Roles.Assistant, "<|im_end|> inside, emoji 👨‍👩‍👧 and 日本語"),
            new(Roles.User, "   "),
            new(Roles.Assistant, "x"),
        ];

        var counts = counter.Count(awkward);

        Assert.Equal(turnByTurn, counter.CountsTurnByTurn);
        Assert.Equal(tokenizer.CountTokens(Templates.ByName(template).Render(awkward).Text), counts.Total);
        Assert.Equal(counts.Total, counts.PerMessage.Sum());
    }

    [Fact]
    public void ChatMarkers_CountAsOneTokenEach_WithNamedEncodings()
    {
        var tokenizer = TokenizerCatalog.Load("cl100k_base", ".");

        Assert.Equal([100264, 882, 198], tokenizer.Encode("<|im_start|>user\n"));
        Assert.Equal(100265, tokenizer.SpecialTokens["<|im_end|>"]);
    }

    [Fact]
    public void BeginningToken_CountsInTheTotalOnly()
    {
        var counter = new ChatTokenCounter(TokenizerCatalog.Load("o200k_base", "."), Templates.Llama3);

        var counts = counter.Count(Conversation);

        Assert.True(counts.Total > counts.PerMessage.Sum(), "<|begin_of_text|> belongs to no turn");
    }

    [Fact]
    public void NoAssistantTurn_MeansAllPromptNoResponse()
    {
        var counts = new ChatTokenCounter(TokenizerCatalog.Load("gpt2", "."), Templates.Plain).Count([new(Roles.User, "Anyone there?")]);

        Assert.Equal(0, counts.Response);
        Assert.Equal(counts.Total, counts.Prompt);
    }

    [Fact]
    public void SentencePiece_IsNormalisedOnce_AndCountsAsTheWholeRenderedText()
    {
        using var temp = new TempFolder();
        var tokenizer = TokenizerCatalog.Load(Path.GetDirectoryName(temp.Write("llama/tokenizer.model", SentencePieceModelWriter.Bpe(SentencePieceModelWriter.HelloPieces)))!, temp.Path);
        var counter = new ChatTokenCounter(tokenizer, Templates.Mistral);
        Message[] conversation = [new(Roles.User, "hello  world"), new(Roles.Assistant, "hello"), new(Roles.User, " world hello "), new(Roles.Assistant, "he ll o")];

        var counts = counter.Count(conversation);

        // Normalising each message first (▁hello▁world) and the rendered text again counted ▁ twice.
        Assert.False(tokenizer.Normalizes);
        Assert.Equal(tokenizer.CountTokens(Templates.Mistral.Render(conversation).Text), counts.Total);
        Assert.Equal(counts.Total, counts.Prompt + counts.Response);
        Assert.Equal(counts.Total, counts.PerMessage.Sum() + 1);
    }
}
