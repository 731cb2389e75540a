using Curation.TestKit;
using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;

namespace Curation.Serving.Tests;

/// <summary>Refusals in OpenAI's error shape, with the status a client can act on.</summary>
[Collection(ServedCollection.Name)]
public sealed class ErrorTests(ServerFixture fixture)
{
    private static async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseMessage Response)> PostAsync(Uri root, string path, string body, string? key = null)
    {
        using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromMinutes(2) };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!, response);
    }

    [Theory]
    [InlineData("""{"model":"base","messages":[{"role":"robot","content":"hi"}]}""", "messages[0].role", "expected system, developer, user, assistant or tool")]
    [InlineData("""{"model":"base","messages":[]}""", "messages", "expected a non-empty array of messages")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", "required")]
    [InlineData("""{"model":"base","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature", "expected a number from 0 to 2; got \"hot\"")]
    [InlineData("""{"model":"base","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens", "expected an integer of at least 1; got 0")]
    [InlineData("""{"model":"base","messages":[{"role":"user","content":"hi"}],"max_tokens":100000}""", "max_tokens", "this server allows at most 512; got 100000")]
    [InlineData("""{"model":"base","messages":[{"role":"user","content":"hi"}],"n":3}""", "n", "only 1 choice per request is supported")]
    [InlineData("""{"model":"base","messages":[{"role":"user","content":"hi"}],"tools":[]}""", "tools", "not supported by this server")]
    [InlineData("""{"model":"base","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages[0].content[0].type", "only text parts are supported; got 'image_url'")]
    [InlineData("""{"model":"base","messages":[{"role":"user","content":"hi"}],"stop":["a","b","c","d","e"]}""", "stop", "expected at most 4 non-empty strings")]
    public async Task BadRequest_Is400_NamingTheField(string body, string param, string message)
    {
        var (status, error, _) = await PostAsync(fixture.Server.BaseAddress, "v1/chat/completions", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, error["error"]!["param"]!.GetValue<string>());
        Assert.Equal($"{param}: {message}", error["error"]!["message"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidJson_Is400()
    {
        var (status, error, _) = await PostAsync(fixture.Server.BaseAddress, "v1/chat/completions", """{"model": "base", """);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("the request body is not valid JSON", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromptLongerThanTheContext_Is400_ContextLengthExceeded()
    {
        var longText = string.Join(' ', Enumerable.Repeat("The capital of Zorvia is Quellport, a city of bridges.", 400));
        var client = new ChatClient("base", new ApiKeyCredential("x"), new OpenAIClientOptions { Endpoint = fixture.Server.ApiEndpoint });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage(longText)]));
        var (_, body, _) = await PostAsync(fixture.Server.BaseAddress, "v1/completions", new JsonObject { ["model"] = "base", ["prompt"] = longText }.ToJsonString());

        Assert.Equal(400, error.Status);
        Assert.Contains("maximum context length", error.Message, StringComparison.Ordinal);
        Assert.Equal("context_length_exceeded", body["error"]!["code"]!.GetValue<string>());
        Assert.Equal("prompt", body["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownRoute_Is404_InTheErrorShape()
    {
        var (status, error, _) = await PostAsync(fixture.Server.BaseAddress, "v1/embeddings", """{"model":"base","input":"x"}""");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("No route POST /v1/embeddings", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKey_MissingOrWrong_Is401_RightOneAnswers()
    {
        await using var server = await ServeProcess.StartAsync(Curate.Assembly, "--model", fixture.Models.Base, "--api-key", "s3cret");
        const string Body = """{"model":"base","messages":[{"role":"user","content":"hi"}],"max_tokens":2}""";

        var missing = await PostAsync(server.BaseAddress, "v1/chat/completions", Body);
        var wrong = await PostAsync(server.BaseAddress, "v1/chat/completions", Body, key: "guess");
        var right = await new ChatClient("base", new ApiKeyCredential("s3cret"), new OpenAIClientOptions { Endpoint = server.ApiEndpoint })
            .CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { MaxOutputTokenCount = 2 });

        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal("invalid_api_key", wrong.Body["error"]!["code"]!.GetValue<string>());
        Assert.Equal(ChatMessageRole.Assistant, right.Value.Role);
    }

    [Fact]
    public async Task FullQueue_Is429_WithRetryAfter_OthersAnswered()
    {
        await using var server = await ServeProcess.StartAsync(Curate.Assembly, "--model", fixture.Models.Base, "--max-batch", "1", "--max-queue", "1");
        const string Body = """{"model":"base","messages":[{"role":"user","content":"Tell me everything."}],"max_tokens":500,"temperature":0}""";

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(server.BaseAddress, "v1/chat/completions", Body)));

        var refused = results.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Contains(results, r => r.Status == HttpStatusCode.OK);
        Assert.All(results, r => Assert.Contains(r.Status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.All(refused, r => Assert.Equal(TimeSpan.FromSeconds(1), r.Response.Headers.RetryAfter!.Delta));
        Assert.All(refused, r => Assert.Equal("rate_limit_exceeded", r.Body["error"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413()
    {
        await using var server = await ServeProcess.StartAsync(Curate.Assembly, "--model", fixture.Models.Base, "--max-body-kb", "1");
        var body = new JsonObject { ["model"] = "base", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new string('x', 4096) }) }.ToJsonString();

        var (status, error, _) = await PostAsync(server.BaseAddress, "v1/chat/completions", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("the request body is larger than this server accepts", error["error"]!["message"]!.GetValue<string>());
    }
}
