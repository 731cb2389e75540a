using System.Globalization;
using System.Text.RegularExpressions;
using Curation.Cli;
using Curation.TestKit;

namespace Curation.Evaluation.Tests.Harness;

/// <summary>
/// A tiny llama model, a LoRA adapter trained on the sample task through the CLI, and a real <c>curate serve</c> of
/// the base model on a free port: the local and API arms of the end-to-end evals.
/// </summary>
public sealed partial class EvalFixture : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();
    private ServeProcess? _server;

    public string Base => _temp.File("base");

    public string Adapter => _temp.File("finetuned/adapter");

    public static string Golden => Path.Combine(RepositoryPaths.Root, "datasets-sample", "golden", "capitals.jsonl");

    public ServeProcess Server => _server!;

    /// <summary>Requests the server answered so far, counted from its log: one line per completed request.</summary>
    public int AnsweredByServer => CompletedLine().Count(Server.Output);

    public async Task InitializeAsync()
    {
        await CurateAsync("model", "init", "--arch", "llama", "--preset", "tiny", "-o", Base);
        var data = Path.Combine(RepositoryPaths.Root, "datasets-sample", "training", "capitals.jsonl");
        await CurateAsync("train", "--model", Base, "--data", data, "--max-steps", "12", "--batch-size", "4", "--device", "cpu", "--lr", "3e-2", "--rank", "4", "-o", _temp.File("finetuned"));
        _server = await ServeProcess.StartAsync(typeof(CurateApp).Assembly.Location, "--model", Base, "--served-model-name", "tiny", "--max-batch", "8");
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Dispose();
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>An eval file in a fresh folder with the three arms: fine-tuned (base + adapter), base, and the served base.</summary>
    public string WriteEval(TempFolder folder, string extra = "", int limit = 0)
    {
        var path = folder.File("evals/e2e.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $$"""
            name: e2e
            seed: 7
            golden: { path: {{Golden}}, limit: {{limit}} }
            parameters: { max_tokens: 12, temperature: 0 }
            arms:
              - name: finetuned
                local: { model: {{Base}}, adapter: {{Adapter}}, device: cpu }
                price: { per_hour: 0.40 }
              - name: base
                local: { model: {{Base}}, device: cpu }
                price: { per_hour: 0.40 }
              - name: api
                api: { base_url: "{{Server.ApiEndpoint}}", model: tiny, timeout_seconds: 60, concurrency: 4 }
                price: { input_per_million: 0.15, output_per_million: 0.60 }
            metrics: [exact_match, token_f1, rouge_l]
            output: { dir: ../out }
            {{extra}}
            """));
        return path;
    }

    public static async Task<(int ExitCode, string Output, string Error)> CurateAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CurateApp.RunAsync(args, output, error);
        if (args[0] is "model" or "train")
        {
            Assert.True(exitCode == ExitCodes.Ok, $"curate {string.Join(' ', args)}: exit {exitCode}\n{error}\n{output}");
        }

        return (exitCode, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"^curate serve: tiny: \d+ prompt \+ \d+ completion tokens", RegexOptions.Multiline)]
    private static partial Regex CompletedLine();
}

[CollectionDefinition(Name)]
public sealed class EvalCollection : ICollectionFixture<EvalFixture>
{
    public const string Name = "eval models and server";
}
