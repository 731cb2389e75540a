using Curation.TestKit;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Curation.Serving.Tests;

/// <summary><c>/v1/completions</c>, <c>/health</c>, and stopping: Ctrl+C lets requests in flight finish.</summary>
[Collection(ServedCollection.Name)]
public sealed class CompletionsAndLifecycleTests(ServerFixture fixture)
{
    [Fact]
    public async Task TextCompletion_OneChoicePerPrompt_StreamedTheSame()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        var body = new JsonObject { ["model"] = "ft-b", ["prompt"] = new JsonArray("The capital of", "Once upon a time"), ["max_tokens"] = 12, ["temperature"] = 0 };

        var response = await http.PostAsync("v1/completions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var completion = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["prompt"] = "Once upon a time";
        body["stream"] = true;
        var stream = await http.PostAsync("v1/completions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var events = (await stream.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text_completion", completion["object"]!.GetValue<string>());
        var choices = completion["choices"]!.AsArray();
        Assert.Equal([0, 1], choices.Select(choice => choice!["index"]!.GetValue<int>()));
        Assert.True(completion["usage"]!["completion_tokens"]!.GetValue<int>() is > 0 and <= 24);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType!.MediaType);
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.Equal(choices[1]!["text"]!.GetValue<string>(), string.Concat(chunks.Select(chunk => chunk["choices"]![0]!["text"]!.GetValue<string>())));
        Assert.Equal(choices[1]!["finish_reason"]!.GetValue<string>(), chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_SaysOk()
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };

        var health = JsonNode.Parse(await http.GetStringAsync("health"))!;

        Assert.Equal("ok", health["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientThatGoesAway_EndsItsSequence_WithoutDecodingTheRest()
    {
        await using var server = await ServeProcess.StartAsync(Curate.Assembly, "--model", fixture.Models.Base, "--max-batch", "1", "--max-tokens", "1000");

        // No draining of an abandoned response to reuse the connection: the client really goes away.
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var body = """{"model":"base","messages":[{"role":"user","content":"Go on."}],"max_tokens":1000,"temperature":0,"stream":true}""";
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") })
        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        }

        // Abandoned after its first chunk: the next request gets the only row long before 1,000 tokens could be decoded.
        var next = await http.PostAsync("v1/chat/completions", new StringContent("""{"model":"base","messages":[{"role":"user","content":"hi"}],"max_tokens":1}""", Encoding.UTF8, "application/json"));
        var health = JsonNode.Parse(await http.GetStringAsync("health"))!;

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(0, health["in_flight"]!.GetValue<long>());
        var ended = await server.WaitForOutputAsync(@"base: the client went away; its sequence ended after (\d+) tokens", TimeSpan.FromSeconds(30));
        Assert.True(ended.Success, server.Output);
        Assert.True(int.Parse(ended.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < 1000, ended.Value);
    }

    [Fact]
    public async Task Interrupt_FinishesTheRequestInFlight_ThenExitsCleanly()
    {
        var server = await ServeProcess.StartAsync(Curate.Assembly, "--model", fixture.Models.Base, "--max-batch", "1");
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var body = """{"model":"base","messages":[{"role":"user","content":"Go on."}],"max_tokens":400,"temperature":0,"stream":true}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);

        var stopping = server.StopAsync(TimeSpan.FromMinutes(1));
        var rest = await reader.ReadToEndAsync();
        var (exitCode, output, error) = await stopping;
        await server.DisposeAsync();

        Assert.EndsWith("data: [DONE]\n\n", rest, StringComparison.Ordinal);
        Assert.Contains("\"finish_reason\":\"", rest, StringComparison.Ordinal);
        Assert.True(exitCode == 0, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("curate serve: stopping: finishing 1 requests in flight", output, StringComparison.Ordinal);
        Assert.EndsWith("curate serve: stopped; 1 requests answered", output.TrimEnd(), StringComparison.Ordinal);
    }
}
