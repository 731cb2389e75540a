using System.Globalization;
using System.CommandLine;
using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Checkpoints;
using Curation.Training.Generation;
using Curation.Training.Lora;
using Curation.Training.Runtime;
using TorchSharp;

namespace Curation.Cli.Commands.Generate;

/// <summary><c>curate generate --model DIR [--adapter DIR] --prompt TEXT</c>: one reply, greedy or sampled, with a KV cache.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder in Hugging Face layout.", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "A PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors) to apply." };
        var prompt = new Option<string>("--prompt") { Description = "The user message.", Required = true };
        var system = new Option<string?>("--system") { Description = "A system message before it." };
        var template = new Option<string>("--template") { Description = "Chat template: auto (the model's own, from chat_template.jinja or tokenizer_config.json) or chatml, llama3, mistral, gemma, phi3, plain.", DefaultValueFactory = _ => "auto" };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "0: greedy; above 0: sample.", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Sample from the smallest set of tokens whose probability reaches this (above 0, at most 1).", DefaultValueFactory = _ => 1.0 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        var command = new Command("generate", "Generate a reply with a model (and optionally a LoRA adapter): greedy, or seeded temperature / top-p sampling.")
        {
            model, adapter, prompt, system, template, CommonOptions.TemplateArgs, maxNewTokens, temperature, topP, device, CommonOptions.Seed,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                new OptionChecks(parseResult).AtLeast(maxNewTokens, 1).AtLeast(temperature, 0).AboveAndAtMost(topP, 0, 1);
                var modelFolder = Path.GetFullPath(parseResult.GetRequiredValue(model));
                var torchDevice = DeviceChoice.Resolve(parseResult.GetValue(device)!);
                using var loaded = Checkpoint.Open(modelFolder).LoadModel();
                if (parseResult.GetValue(adapter) is { } adapterFolder)
                {
                    LoraAdapter.Load(loaded, adapterFolder);
                }

                loaded.to(torchDevice);
                var tokenizer = TokenizerCatalog.Load(modelFolder, Environment.CurrentDirectory);
                var chatTemplate = ChatTemplateCatalog.Resolve(parseResult.GetValue(template) ?? "auto", modelFolder, CommonOptions.TemplateArgsOf(parseResult));
                var conversation = new List<Message>();
                if (parseResult.GetValue(system) is { } systemText)
                {
                    conversation.Add(new Message(Roles.System, systemText));
                }

                conversation.Add(new Message(Roles.User, parseResult.GetRequiredValue(prompt)));
                var reply = new TextGenerator(loaded, tokenizer, chatTemplate, torchDevice).Reply(
                    conversation,
                    new SamplingOptions(parseResult.GetValue(maxNewTokens), parseResult.GetValue(temperature), parseResult.GetValue(topP), parseResult.GetValue(CommonOptions.Seed) ?? 1));
                await writer.WriteLineAsync(reply.Text);
                if (reply.Reason == StopReason.PositionLimit)
                {
                    await parseResult.InvocationConfiguration.Error.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"curate: generation stopped at the model's last position: it has {loaded.Config.MaxPositions} ({loaded.Config.MaxPositionsKey})"));
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
