using System.Globalization;
using System.CommandLine;
using Curation.IO.Inputs;
using Curation.Core.Records;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Checkpoints;
using Curation.Training.Generation;
using Curation.Training.Lora;
using Curation.Training.Runtime;
using TorchSharp;

namespace Curation.Cli.Commands.Generate;

/// <summary>
/// <c>curate generate --model DIR [--adapter DIR] --prompt TEXT</c>: one reply; <c>--input FILE --output FILE</c>: a reply to
/// every record, decoded in batches. Greedy or sampled, with a KV cache.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder in Hugging Face layout.", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "A PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors) to apply." };
        var prompt = new Option<string?>("--prompt") { Description = "The user message (or --input)." };
        var input = new Option<string[]>("--input") { Description = "Files, folders or globs of chat records in any input format: a reply to each (a final assistant turn is taken as a reference and left out of the prompt).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string?>("--output", "-o") { Description = "With --input: the JSONL file of replies (messages with the reply, finish_reason, usage), in input order." };
        var batchSize = new Option<int>("--batch-size") { Description = "With --input: most sequences decoded together; a finished one's place goes to the next prompt at once.", DefaultValueFactory = _ => 8 };
        var topK = new Option<int>("--top-k") { Description = "Sample only from this many most likely tokens (0: all).", DefaultValueFactory = _ => 0 };
        var stop = new Option<string[]>("--stop") { Description = "A string that ends the reply (not part of it); may be given several times." };
        var system = new Option<string?>("--system") { Description = "With --prompt: a system message before it." };
        var template = new Option<string>("--template") { Description = "Chat template: auto (the model's own, from chat_template.jinja or tokenizer_config.json) or chatml, llama3, mistral, gemma, phi3, plain.", DefaultValueFactory = _ => "auto" };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate.", DefaultValueFactory = _ => 128 };
        var temperature = new Option<double>("--temperature") { Description = "0: greedy; above 0: sample.", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Sample from the smallest set of tokens whose probability reaches this (above 0, at most 1).", DefaultValueFactory = _ => 1.0 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        var precision = CommonOptions.Precision();
        var command = new Command("generate", "Generate a reply with a model (and optionally a LoRA adapter): greedy, or seeded temperature / top-p sampling.")
        {
            model, adapter, prompt, input, output, batchSize, system, template, CommonOptions.TemplateArgs, maxNewTokens, temperature, topP, topK, stop, device, precision, CommonOptions.Seed,
        };
        command.Validators.Add(result =>
        {
            var inputs = result.GetValue(input) is { Length: > 0 };
            if (inputs == (result.GetValue(prompt) is not null))
            {
                result.AddError("give either --prompt or --input");
            }
            else if (inputs != (result.GetValue(output) is not null))
            {
                result.AddError(inputs ? "--input needs --output, the file of replies" : "--output goes with --input");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                new OptionChecks(parseResult).AtLeast(maxNewTokens, 1).AtLeast(temperature, 0).AboveAndAtMost(topP, 0, 1).AtLeast(topK, 0).AtLeast(batchSize, 1);
                var modelFolder = Path.GetFullPath(parseResult.GetRequiredValue(model));
                var torchDevice = DeviceChoice.Resolve(parseResult.GetValue(device)!);
                using var loaded = Checkpoint.Open(modelFolder).LoadModel();
                if (parseResult.GetValue(adapter) is { } adapterFolder)
                {
                    LoraAdapter.Load(loaded, adapterFolder);
                }

                loaded.to(torchDevice);
                PrecisionChoice.Apply(loaded, PrecisionChoice.Resolve(parseResult.GetValue(precision)!, torchDevice));
                var tokenizer = TokenizerCatalog.Load(modelFolder, Environment.CurrentDirectory);
                var chatTemplate = ChatTemplateCatalog.Resolve(parseResult.GetValue(template) ?? "auto", modelFolder, CommonOptions.TemplateArgsOf(parseResult));
                var sampling = new SamplingOptions(
                    parseResult.GetValue(maxNewTokens), parseResult.GetValue(temperature), parseResult.GetValue(topP), parseResult.GetValue(CommonOptions.Seed) ?? 1, parseResult.GetValue(topK));
                var stops = parseResult.GetValue(stop) ?? [];
                if (parseResult.GetValue(input) is { Length: > 0 } inputs)
                {
                    var records = await ChatRecordFiles.ReadAsync(inputs, cancellationToken);
                    var generator = new BatchedTextGenerator(loaded, tokenizer, chatTemplate, torchDevice, parseResult.GetValue(batchSize));
                    var error = parseResult.InvocationConfiguration.Error;
                    var (replies, tokens, elapsed) = await new ReplyFile(generator, error, TimeProvider.System)
                        .WriteAsync(records, parseResult.GetRequiredValue(output)!, sampling, stops, loaded.Config.MaxPositions, cancellationToken);
                    await writer.WriteLineAsync(string.Create(
                        CultureInfo.InvariantCulture,
                        $"ok: {replies:N0} replies, {tokens:N0} tokens in {elapsed.TotalSeconds:F1}s ({tokens / Math.Max(elapsed.TotalSeconds, 1e-3):N1} tokens/s) -> {parseResult.GetValue(output)}"));
                    return ExitCodes.Ok;
                }

                var conversation = new List<Message>();
                if (parseResult.GetValue(system) is { } systemText)
                {
                    conversation.Add(new Message(Roles.System, systemText));
                }

                conversation.Add(new Message(Roles.User, parseResult.GetValue(prompt)!));
                var reply = new BatchedTextGenerator(loaded, tokenizer, chatTemplate, torchDevice, 1)
                    .Generate([new ChatRequest(conversation, sampling, stops)], cancellationToken: cancellationToken)[0];
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
