using System.CommandLine;
using Curation.Core;
using Curation.Serving;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Checkpoints;
using Curation.Training.Lora;
using Curation.Training.Runtime;
using TorchSharp;

namespace Curation.Cli.Commands.Serve;

/// <summary>
/// <c>curate serve --model DIR [--adapter NAME=DIR]…</c>: an OpenAI-compatible HTTP server for a base model and its LoRA
/// adapters, each under its own model name, on 127.0.0.1 unless told otherwise. Ctrl+C finishes the requests in
/// flight, then stops.
/// </summary>
internal static class ServeCommand
{
    public const string ApiKeyVariable = "CURATE_API_KEY";

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Base model folder in Hugging Face layout.", Required = true };
        var name = new Option<string?>("--served-model-name") { Description = "The base model's name in requests and /v1/models (default: its folder's name)." };
        var adapters = new Option<string[]>("--adapter") { Description = "NAME=DIR: serve the PEFT LoRA adapter in DIR as model NAME; may be given several times.", AllowMultipleArgumentsPerToken = false };
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port to listen on (0: any free port; the address is printed).", DefaultValueFactory = _ => 8000 };
        var apiKey = new Option<string?>("--api-key") { Description = $"Require 'Authorization: Bearer KEY' (or set {ApiKeyVariable}, which stays out of the process list)." };
        var maxBatch = new Option<int>("--max-batch") { Description = "Most sequences decoded together.", DefaultValueFactory = _ => 8 };
        var maxQueue = new Option<int>("--max-queue") { Description = "Most requests waiting for a place in the batch; more get 429 with Retry-After.", DefaultValueFactory = _ => 256 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Largest max_tokens a request may ask for, and the limit when it asks for none.", DefaultValueFactory = _ => 512 };
        var maxBody = new Option<int>("--max-body-kb") { Description = "Largest request body in KiB (413 beyond).", DefaultValueFactory = _ => 1024 };
        var drain = new Option<int>("--drain-seconds") { Description = "On Ctrl+C, how long requests in flight may take to finish.", DefaultValueFactory = _ => 30 };
        var template = new Option<string>("--template") { Description = "Chat template: auto (the model's own) or chatml, llama3, mistral, gemma, phi3, plain.", DefaultValueFactory = _ => "auto" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        var precision = CommonOptions.Precision();
        var command = new Command("serve", "Serve a model and its LoRA adapters over OpenAI-compatible HTTP (/v1/chat/completions, /v1/completions, /v1/models, /health).")
        {
            model, name, adapters, host, port, apiKey, maxBatch, maxQueue, maxTokens, maxBody, drain, template, CommonOptions.TemplateArgs, device, precision,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                new OptionChecks(parseResult).AtLeast(port, 0).AtLeast(maxBatch, 1).AtLeast(maxQueue, 1).AtLeast(maxTokens, 1).AtLeast(maxBody, 1).AtLeast(drain, 0)
                    .That(parseResult.GetValue(port) <= 65535, () => $"--port must be at most 65535; got {parseResult.GetValue(port)}");
                var adapterFolders = AdapterArguments.Parse(parseResult.GetValue(adapters) ?? []);
                var modelFolder = Path.GetFullPath(parseResult.GetRequiredValue(model));
                var baseName = parseResult.GetValue(name) ?? Path.GetFileName(modelFolder.TrimEnd(Path.DirectorySeparatorChar));
                if (adapterFolders.FirstOrDefault(adapter => adapter.Name == baseName) is { } clash)
                {
                    throw new CurationException($"--adapter {clash.Name}: the base model is served under that name; choose another, or rename the base with --served-model-name");
                }

                var torchDevice = DeviceChoice.Resolve(parseResult.GetValue(device)!);
                using var loaded = Checkpoint.Open(modelFolder).LoadModel();
                loaded.to(torchDevice);
                PrecisionChoice.Apply(loaded, PrecisionChoice.Resolve(parseResult.GetValue(precision)!, torchDevice));
                using var served = ServedAdapters.Load(loaded, [.. adapterFolders.Select(adapter => (adapter.Name, adapter.Folder))]);
                var tokenizer = TokenizerCatalog.Load(modelFolder, Environment.CurrentDirectory);
                var chatTemplate = ChatTemplateCatalog.Resolve(parseResult.GetValue(template) ?? "auto", modelFolder, CommonOptions.TemplateArgsOf(parseResult));
                var settings = new ServeSettings
                {
                    Host = parseResult.GetValue(host)!,
                    Port = parseResult.GetValue(port),
                    ApiKey = parseResult.GetValue(apiKey) ?? (Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null),
                    MaxBatch = parseResult.GetValue(maxBatch),
                    MaxQueue = parseResult.GetValue(maxQueue),
                    MaxTokensLimit = parseResult.GetValue(maxTokens),
                    MaxBodyBytes = parseResult.GetValue(maxBody) * 1024L,
                    DrainTimeout = TimeSpan.FromSeconds(parseResult.GetValue(drain)),
                };
                await InferenceServer.RunAsync(
                    new ServedModel(baseName, loaded, tokenizer, chatTemplate, torchDevice, served),
                    settings,
                    output,
                    TimeProvider.System,
                    cancellationToken);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
