using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Curation.ServeLoad;

/// <summary>What a load run measured: answered and refused requests, tokens, and latency percentiles.</summary>
public sealed record LoadReport(int Clients, TimeSpan Elapsed, int Answered, int Refused, int Failed, long CompletionTokens, double P50Seconds, double P95Seconds, IReadOnlyList<string> Failures)
{
    public double RequestsPerSecond => Answered / Elapsed.TotalSeconds;

    public double TokensPerSecond => CompletionTokens / Elapsed.TotalSeconds;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Clients} clients, {Elapsed.TotalSeconds:F1} s: {Answered} answered ({RequestsPerSecond:F1} req/s), {Refused} refused (429), {Failed} failed; {CompletionTokens} completion tokens ({TokensPerSecond:F0} tokens/s); latency p50 {P50Seconds:F3} s, p95 {P95Seconds:F3} s");
}

/// <summary>
/// Closed-loop load on an OpenAI-compatible server: each client sends a chat completion, waits for the answer, and
/// sends the next until the time is up; a 429 is counted and retried after its Retry-After.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadReport> RunAsync(Uri root, string model, int clients, TimeSpan duration, int maxTokens, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = root, Timeout = TimeSpan.FromMinutes(2) };
        var latencies = new List<double>();
        var failures = new List<string>();
        int answered = 0, refused = 0;
        long tokens = 0;
        var clock = Stopwatch.StartNew();

        async Task ClientAsync(int client)
        {
            for (var i = 0; clock.Elapsed < duration && !cancellationToken.IsCancellationRequested; i++)
            {
                var body = new JsonObject
                {
                    ["model"] = model,
                    ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"Client {client}, question {i}: what is the capital of Zorvia?" }),
                    ["max_tokens"] = maxTokens,
                    ["temperature"] = 0.7,
                    ["seed"] = (client * 1000) + i,
                }.ToJsonString();
                var started = clock.Elapsed;
                try
                {
                    using var response = await http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref refused);
                        await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                        continue;
                    }

                    var usage = response.IsSuccessStatusCode ? JsonNode.Parse(text)?["usage"]?["completion_tokens"]?.GetValue<int>() : null;
                    lock (latencies)
                    {
                        if (usage is { } completion)
                        {
                            latencies.Add((clock.Elapsed - started).TotalSeconds);
                            answered++;
                            tokens += completion;
                        }
                        else
                        {
                            failures.Add($"{(int)response.StatusCode}: {text}");
                        }
                    }
                }
                catch (HttpRequestException ex)
                {
                    lock (latencies)
                    {
                        failures.Add(ex.Message);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(ClientAsync));
        var elapsed = clock.Elapsed;
        latencies.Sort();
        return new LoadReport(clients, elapsed, answered, refused, failures.Count, tokens, Percentile(latencies, 0.50), Percentile(latencies, 0.95), failures);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
