using System.Text.Json.Nodes;
using Curation.Cli;
using Curation.TestKit;

namespace Curation.Serving.Tests;

/// <summary>
/// A tiny llama model (4 layers, the repository's tokenizer) and two LoRA adapters trained on the sample task with
/// different seeds and rates, made once per test class through the CLI, as a user would make them.
/// </summary>
public sealed class TinyModels : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();

    public string Base => _temp.File("base");

    public string AdapterA => _temp.File("run-a/adapter");

    public string AdapterB => _temp.File("run-b/adapter");

    /// <summary>Held-out questions of the sample task.</summary>
    public IReadOnlyList<string> Questions { get; } = [.. File.ReadLines(Path.Combine(RepositoryPaths.Root, "datasets-sample", "training", "capitals-eval.jsonl"))
        .Take(6)
        .Select(line => JsonNode.Parse(line)!["messages"]![0]!["content"]!.GetValue<string>())];

    public async Task InitializeAsync()
    {
        await CurateAsync("model", "init", "--arch", "llama", "--preset", "tiny", "-o", Base);
        var data = Path.Combine(RepositoryPaths.Root, "datasets-sample", "training", "capitals.jsonl");
        string[] train = ["train", "--model", Base, "--data", data, "--max-steps", "12", "--batch-size", "4", "--device", "cpu", "--threads", "1"];
        await CurateAsync([.. train, "--lr", "3e-2", "--seed", "3", "--rank", "4", "-o", _temp.File("run-a")]);
        await CurateAsync([.. train, "--lr", "5e-2", "--seed", "7", "--rank", "8", "-o", _temp.File("run-b")]);
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>What <c>curate generate</c> answers, greedy, on its own: the reference for a served answer.</summary>
    public async Task<string> GenerateAsync(string question, int maxTokens, string? adapter = null)
    {
        string[] args = ["generate", "--model", Base, "--prompt", question, "--max-new-tokens", maxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture), "--device", "cpu"];
        var output = await CurateAsync(adapter is null ? args : [.. args, "--adapter", adapter]);
        return output.EndsWith('\n') ? output[..^1] : output;
    }

    private static async Task<string> CurateAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CurateApp.RunAsync(args, output, error);
        Assert.True(exitCode == ExitCodes.Ok, $"curate {string.Join(' ', args)}: exit {exitCode}\n{error}\n{output}");
        return output.ToString();
    }
}
