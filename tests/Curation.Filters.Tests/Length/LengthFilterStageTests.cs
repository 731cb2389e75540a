using Curation.Core.Records;
using Curation.Core.Config;
using Curation.Core.Stages;
using Curation.Core.Stats;
using Curation.Filters.Length;
using Curation.TestKit;
using Curation.TestKit.Stages;
using Curation.Tokenization;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;

namespace Curation.Filters.Tests.Length;

public class LengthFilterStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddFilterStages();

    protected override string Kind => FilterStages.TokenLength;

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
    [
        Chat.Record("Tell me everything.", string.Join(' ', Enumerable.Repeat("Every answer here goes on and on.", 300))),
        Chat.Record("hi", "ok"),
    ];

    protected override IStage CreateStage() =>
        FromRegistry(new LengthFilterOptions { Tokenizer = "cl100k_base", MinTokens = 16, MaxTokens = 1024 });

    [Fact]
    public Task Figures_OfShardTasks_AddUpToWhatOneRunReports() => AssertFiguresOfTwoHalvesReportAsOneRun();

    private static readonly TextTokenizer Gpt2 = TokenizerCatalog.Load("gpt2", ".");

    private static LengthFilterStage Stage(LengthFilterOptions options, ChatTemplate? template = null) =>
        new(options, new ChatTokenCounter(Gpt2, template ?? ChatTemplateCatalog.Plain), "token-length");

    // With the plain template "user: " + content + "\n" is what gpt2 counts.
    private static int Tokens(params string[] renderedTurns) => Gpt2.CountTokens(string.Concat(renderedTurns));

    [Fact]
    public void WithinLimits_IsKeptUnchanged()
    {
        var record = Chat.Record("What is two plus two?", "Four.");

        var result = Stage(new LengthFilterOptions { Tokenizer = "gpt2", MinTokens = 1, MaxTokens = 100 }).Apply(record);

        Assert.Same(record, result.Record);
    }

    [Fact]
    public void OverMaxTokens_IsDroppedWithTheCountAndLimit()
    {
        var record = Chat.Record("What is two plus two?", "Four.");
        var total = Tokens("user: What is two plus two?\n", "assistant: Four.\n");

        var result = Stage(new LengthFilterOptions { Tokenizer = "gpt2", MaxTokens = total - 1 }).Apply(record);

        Assert.Equal(LengthFilterStage.TooLongRule, result.Rule);
        Assert.Equal($"{total} tokens, max_tokens {total - 1}", result.Detail);
    }

    [Fact]
    public void AtMaxTokens_IsKept()
    {
        var total = Tokens("user: What is two plus two?\n", "assistant: Four.\n");

        Assert.True(Stage(new LengthFilterOptions { Tokenizer = "gpt2", MaxTokens = total }).Apply(Chat.Record("What is two plus two?", "Four.")).IsKept);
    }

    [Theory]
    [InlineData("min", LengthFilterStage.TooShortRule)]
    [InlineData("turn", LengthFilterStage.TurnTooLongRule)]
    [InlineData("prompt", LengthFilterStage.PromptTooLongRule)]
    [InlineData("response", LengthFilterStage.ResponseTooShortRule)]
    public void EachLimit_HasItsRule(string limit, string rule)
    {
        var record = Chat.Record("Explain the difference between a process and a thread in two sentences.", "Ok.");
        var options = limit switch
        {
            "min" => new LengthFilterOptions { Tokenizer = "gpt2", MinTokens = 500 },
            "turn" => new LengthFilterOptions { Tokenizer = "gpt2", MaxTurnTokens = 10 },
            "prompt" => new LengthFilterOptions { Tokenizer = "gpt2", MaxPromptTokens = 10 },
            _ => new LengthFilterOptions { Tokenizer = "gpt2", MinResponseTokens = 10 },
        };

        var result = Stage(options).Apply(record);

        Assert.Equal(rule, result.Rule);
    }

    [Theory]
    [InlineData("hello world", "hello")]
    [InlineData("  hello   world  ", "he llo wor ld")]
    [InlineData("world", "hello hello hello")]
    public void SentencePiece_CountsTheRenderedTextOnce(string user, string assistant)
    {
        using var temp = new TempFolder();
        temp.Write("llama/tokenizer.model", SentencePieceModelWriter.Bpe(SentencePieceModelWriter.HelloPieces));
        var tokenizer = TokenizerCatalog.Load("llama", temp.Path);
        var record = Chat.Record(user, assistant);
        var total = tokenizer.CountTokens(ChatTemplateCatalog.Mistral.Render(record.Messages).Text);
        LengthFilterStage Limit(int max) => new(new LengthFilterOptions { Tokenizer = "llama", MaxTokens = max }, new ChatTokenCounter(tokenizer, ChatTemplateCatalog.Mistral), "token-length");

        // Each message was normalised (spaces to ▁, a dummy prefix) and then the rendered text again, counting extra ▁.
        Assert.True(Limit(total).Apply(record).IsKept);
        Assert.Equal($"{total} tokens, max_tokens {total - 1}", Limit(total - 1).Apply(record).Detail);
    }

    [Fact]
    public void TurnTooLong_NamesTheTurn()
    {
        var result = Stage(new LengthFilterOptions { Tokenizer = "gpt2", MaxTurnTokens = 8 }).Apply(Chat.Record("Hi", string.Join(' ', Enumerable.Repeat("word", 20))));

        Assert.StartsWith("turn 2 (assistant) has ", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncate_DropsTheOldestExchanges_KeepsTheSystemPrompt()
    {
        var record = Chat.Builder().System("Be kind.")
            .User("First question, quite long " + string.Join(' ', Enumerable.Repeat("padding", 30))).Assistant("First answer.")
            .User("Second question?").Assistant("Second answer.")
            .Build();
        var fits = Tokens("system: Be kind.\n", "user: Second question?\n", "assistant: Second answer.\n");

        var result = Stage(new LengthFilterOptions { Tokenizer = "gpt2", MaxTokens = fits, OnExceed = OverLengthPolicy.Truncate }).Apply(record);

        Assert.True(result.IsKept);
        Assert.Equal(["Be kind.", "Second question?", "Second answer."], result.Record!.Messages.Select(m => m.Content));
    }

    [Fact]
    public void Truncate_WhenTheLastExchangeAloneIsTooLong_Drops()
    {
        var record = Chat.Record(string.Join(' ', Enumerable.Repeat("long", 50)), "answer");

        var result = Stage(new LengthFilterOptions { Tokenizer = "gpt2", MaxTokens = 10, OnExceed = OverLengthPolicy.Truncate }).Apply(record);

        Assert.Equal(LengthFilterStage.TooLongRule, result.Rule);
        Assert.Contains("with only the system prompt and last exchange", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Unrenderable_IsRejectedWithTheTemplatesReason()
    {
        var record = Chat.Builder().Assistant("I speak first.").User("Odd.").Build();

        var result = Stage(new LengthFilterOptions { Tokenizer = "gpt2", MaxTokens = 100 }, ChatTemplateCatalog.Mistral).Apply(record);

        Assert.Equal(LengthFilterStage.UnrenderableRule, result.Rule);
        Assert.Contains("must alternate", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_HasHistogramsOfInputAndKept()
    {
        var stage = Stage(new LengthFilterOptions { Tokenizer = "gpt2", MaxTokens = 12 });
        stage.Apply(Chat.Record("Hi", "Hello"));
        stage.Apply(Chat.Record(string.Join(' ', Enumerable.Repeat("long", 50)), "answer"));
        var counters = new StageCounters("token-length");

        stage.Report(counters);

        Assert.Matches(@"^gpt2 tokens with the plain template, before: 2 records, .*max 5\d", counters.Notes[0]);
        Assert.Matches(@"^after: 1 records, mean \d+, min \d+", counters.Notes[1]);
    }

    [Theory]
    [InlineData("- token-length: { tokenizer: gpt2 }", "set at least one of")]
    [InlineData("- token-length: { max_tokens: 10 }", "tokenizer")]
    [InlineData("- token-length: { tokenizer: gpt2, min_tokens: 20, max_tokens: 10 }", "min_tokens (20) is above max_tokens (10)")]
    [InlineData("- token-length: { tokenizer: gpt2, on_exceed: truncate, min_tokens: 3 }", "'on_exceed: truncate' needs max_tokens")]
    [InlineData("- token-length: { tokenizer: p99k, max_tokens: 10 }", "not a named encoding")]
    [InlineData("- token-length: { tokenizer: gpt2, template: vicuna, max_tokens: 10 }", "unknown chat template 'vicuna'")]
    [InlineData("- token-length: { tokenizer: gpt2, template_args: { enable_thinking: false }, max_tokens: 10 }", "template_args are passed to a model folder's own chat template")]
    [InlineData("- token-length: { tokenizer: gpt2, template: chatml, template_args: { enable_thinking: false }, max_tokens: 10 }", "template is 'chatml', set it to auto")]
    public void BadOptions_AreConfigErrors(string stage, string expected)
    {
        var yaml = $"inputs: [in.jsonl]\nstages:\n  {stage}\n";

        var error = Record.Exception(() => PipelineLoader.BuildStages(PipelineLoader.Parse(yaml, "p.yaml", "/tmp", new StageRegistry().AddFilterStages()), new StageRegistry().AddFilterStages()));

        Assert.NotNull(error);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Auto_CountsWithTheModelsOwnTemplate_DefaultSystemPromptIncluded()
    {
        var folder = RepositoryPaths.SharedTokenizer("qwen2.5");
        Skip.If(folder is null, "shared fixture tokenizers/qwen2.5 not found beside the repository: the model's own template was not counted");
        var yaml = $"inputs: [in.jsonl]\nstages:\n  - token-length: {{ tokenizer: '{folder}', max_tokens: 1000, template_args: {{ enable_thinking: false }} }}\n";
        var registry = new StageRegistry().AddFilterStages();
        var stage = (LengthFilterStage)PipelineLoader.BuildStages(PipelineLoader.Parse(yaml, "p.yaml", "/tmp", registry), registry).Single().Stage;
        var tokenizer = TokenizerCatalog.Load(folder!, "/");

        stage.Apply(Chat.Record("Hi", "Hello"));
        var counters = new StageCounters("token-length");
        stage.Report(counters);

        // What transformers renders for Qwen2.5: its default system prompt comes first when there is none.
        var expected = tokenizer.CountTokens("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello<|im_end|>\n");
        Assert.StartsWith($"{tokenizer.Name} tokens with the qwen2.5/tokenizer_config.json template, before: 1 records, mean {expected},", counters.Notes[0], StringComparison.Ordinal);
    }
}
