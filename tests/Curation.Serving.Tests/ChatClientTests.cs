using System.ClientModel;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Curation.Serving.Tests;

/// <summary>Microsoft.Extensions.AI's <see cref="IChatClient"/> over the OpenAI SDK against a real <c>curate serve</c>.</summary>
[Collection(ServedCollection.Name)]
public sealed class ChatClientTests(ServerFixture fixture)
{
    private IChatClient Client(string model) =>
        new OpenAIClient(new ApiKeyCredential("not-checked"), new OpenAIClientOptions { Endpoint = fixture.Server.ApiEndpoint }).GetChatClient(model).AsIChatClient();

    [Fact]
    public async Task Response_AndStreamedResponse_AreTheAnswerGenerateGives_WithUsage()
    {
        var question = fixture.Models.Questions[4];
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 16 };
        var expected = await fixture.Models.GenerateAsync(question, 16, fixture.Models.AdapterA);

        var response = await Client("ft-a").GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You answer briefly."), new ChatMessage(ChatRole.User, question)], options);
        var plain = await Client("ft-a").GetResponseAsync(question, options);
        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Client("ft-a").GetStreamingResponseAsync(question, options))
        {
            streamed.Append(update.Text);
            finish ??= update.FinishReason;
        }

        Assert.Equal(expected, plain.Text);
        Assert.Equal(expected, streamed.ToString());
        Assert.Equal(plain.FinishReason, finish);
        Assert.NotNull(plain.Usage);
        Assert.True(plain.Usage.InputTokenCount > 0);
        Assert.True(plain.Usage.OutputTokenCount is > 0 and <= 16);
        Assert.True(response.Usage!.InputTokenCount > plain.Usage.InputTokenCount, "the system message is part of the prompt");
        Assert.Equal("ft-a", plain.ModelId);
    }
}
