#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK.
using System.ClientModel;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Curation.Serving.Tests;

/// <summary>The official OpenAI .NET SDK against a real <c>curate serve</c>: what a user's client code would do.</summary>
[Collection(ServedCollection.Name)]
public sealed class OpenAiSdkTests(ServerFixture fixture)
{
    private const int MaxTokens = 20;

    private ChatClient Client(string model) =>
        new(model, new ApiKeyCredential("not-checked"), new OpenAIClientOptions { Endpoint = fixture.Server.ApiEndpoint, NetworkTimeout = TimeSpan.FromMinutes(2) });

    private static ChatCompletionOptions Greedy(int maxTokens = MaxTokens) => new() { Temperature = 0, MaxOutputTokenCount = maxTokens };

    [Fact]
    public async Task GreedyChat_AnswersAsGenerateDoes_WithUsageAndFinishReason()
    {
        var question = fixture.Models.Questions[0];

        ChatCompletion completion = await Client("base").CompleteChatAsync([new UserChatMessage(question)], Greedy());

        Assert.Equal(await fixture.Models.GenerateAsync(question, MaxTokens), completion.Content[0].Text);
        Assert.Equal("base", completion.Model);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.True(completion.Usage.InputTokenCount > 5, completion.Usage.InputTokenCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(completion.Usage.OutputTokenCount, 1, MaxTokens);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal(completion.Usage.OutputTokenCount == MaxTokens ? ChatFinishReason.Length : ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task Streaming_PiecesJoinToTheWholeAnswer_ThenFinishReasonAndUsage()
    {
        var question = fixture.Models.Questions[1];
        var whole = await Client("base").CompleteChatAsync([new UserChatMessage(question)], Greedy());

        var text = new StringBuilder();
        var updates = 0;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Client("base").CompleteChatStreamingAsync([new UserChatMessage(question)], Greedy()))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(whole.Value.Content[0].Text, text.ToString());
        Assert.True(updates > 3, $"{updates} updates");
        Assert.Equal(whole.Value.FinishReason, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Value.Usage.OutputTokenCount, usage.OutputTokenCount);
        Assert.Equal(whole.Value.Usage.InputTokenCount, usage.InputTokenCount);
    }

    [Fact]
    public async Task StopSequence_EndsTheAnswerBeforeIt_StreamedOrNot()
    {
        var question = fixture.Models.Questions[2];
        var sampled = new ChatCompletionOptions { Temperature = 1, Seed = 11, MaxOutputTokenCount = 24 };
        var free = (await Client("base").CompleteChatAsync([new UserChatMessage(question)], sampled)).Value.Content[0].Text;
        Assert.True(free.Length >= 8, free);
        var stop = free.Substring(free.Length / 2, 2);
        var expected = free[..free.IndexOf(stop, StringComparison.Ordinal)];
        var stopped = new ChatCompletionOptions { Temperature = 1, Seed = 11, MaxOutputTokenCount = 24 };
        stopped.StopSequences.Add(stop);

        var answer = (await Client("base").CompleteChatAsync([new UserChatMessage(question)], stopped)).Value;
        var streamed = new StringBuilder();
        await foreach (var update in Client("base").CompleteChatStreamingAsync([new UserChatMessage(question)], stopped))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        Assert.Equal(expected, answer.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        Assert.Equal(expected, streamed.ToString());
    }

    [Fact]
    public async Task SeededSampling_GivesTheSameText_AloneOrAmongOtherRequests()
    {
        var question = fixture.Models.Questions[3];
        var seeded = new ChatCompletionOptions { Temperature = 0.9f, TopP = 0.95f, Seed = 42, MaxOutputTokenCount = MaxTokens };
        var alone = (await Client("base").CompleteChatAsync([new UserChatMessage(question)], seeded)).Value.Content[0].Text;

        var others = fixture.Models.Questions.Select((q, i) => Client(i % 2 == 0 ? "base" : "ft-a").CompleteChatAsync(
            [new UserChatMessage(q)], new ChatCompletionOptions { Temperature = 1, Seed = i, MaxOutputTokenCount = 8 + (i * 5) })).ToList();
        var together = Client("base").CompleteChatAsync([new UserChatMessage(question)], seeded);
        await Task.WhenAll([.. others, together]);

        Assert.Equal(alone, (await together).Value.Content[0].Text);
    }

    [Fact]
    public async Task EachAdapter_AnswersAsGenerateWithThatAdapter_WhileSharingTheBatch()
    {
        string[] models = ["base", "ft-a", "ft-b"];
        var requests = fixture.Models.Questions.Take(4)
            .SelectMany(question => models.Select(model => (question, model, reply: Client(model).CompleteChatAsync([new UserChatMessage(question)], Greedy()))))
            .ToList();
        await Task.WhenAll(requests.Select(r => r.reply));

        var differ = 0;
        foreach (var (question, model, reply) in requests)
        {
            var adapter = model switch { "ft-a" => fixture.Models.AdapterA, "ft-b" => fixture.Models.AdapterB, _ => null };
            var expected = await fixture.Models.GenerateAsync(question, MaxTokens, adapter);
            Assert.Equal(expected, (await reply).Value.Content[0].Text);
            Assert.Equal(model, (await reply).Value.Model);
            differ += adapter is not null && expected != await fixture.Models.GenerateAsync(question, MaxTokens) ? 1 : 0;
        }

        Assert.True(differ >= 4, $"the adapters changed only {differ} of 8 answers: they are not applied");
    }

    [Fact]
    public async Task Models_ListsTheBaseAndEveryAdapter()
    {
        var models = new OpenAIModelClient(new ApiKeyCredential("not-checked"), new OpenAIClientOptions { Endpoint = fixture.Server.ApiEndpoint });

        var listed = (await models.GetModelsAsync()).Value;
        var one = (await models.GetModelAsync("ft-b")).Value;

        Assert.Equal(["base", "ft-a", "ft-b"], listed.Select(model => model.Id));
        Assert.All(listed, model => Assert.Equal("curate", model.OwnedBy));
        Assert.Equal("ft-b", one.Id);
    }

    [Fact]
    public async Task UnknownModel_Is404_NamingTheServedOnes()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client("gpt-4o").CompleteChatAsync([new UserChatMessage("hi")], Greedy()));

        Assert.Equal(404, error.Status);
        Assert.Contains("The model 'gpt-4o' does not exist here; served: base, ft-a, ft-b", error.Message, StringComparison.Ordinal);
    }
}
