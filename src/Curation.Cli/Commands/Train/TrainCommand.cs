using System.CommandLine;
using System.Globalization;
using Curation.IO.Inputs;
using Curation.Core;
using Curation.Core.Files;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training;
using Curation.Training.Checkpoints;
using Curation.Training.Data;
using Curation.Training.Lora;
using Curation.Training.Runtime;

namespace Curation.Cli.Commands.Train;

/// <summary>
/// <c>curate train --model DIR --data FILE... -o OUT</c>: fine-tunes a Hugging Face checkpoint on chat records with LoRA
/// (or every weight with <c>--full</c>) and writes a PEFT adapter (and on request a merged model).
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder in Hugging Face layout (config.json, safetensors, tokenizer.json or tokenizer.model).", Required = true };
        var data = new Option<string[]>("--data") { Description = "Chat records: files, folders or globs in any input format (e.g. a curate run's data.jsonl).", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "Output folder: adapter/, checkpoint-N/, metrics.jsonl (and merged/).", Required = true };
        var full = new Option<bool>("--full") { Description = "Train every weight instead of a LoRA adapter (small models)." };
        var rank = new Option<int>("--rank") { Description = "LoRA rank.", DefaultValueFactory = _ => 8 };
        var alpha = new Option<double>("--alpha") { Description = "LoRA alpha (scaling alpha / rank).", DefaultValueFactory = _ => 16 };
        var dropout = new Option<double>("--lora-dropout") { Description = "Dropout on the adapter's input (at least 0, below 1).", DefaultValueFactory = _ => 0.05 };
        var targets = new Option<string[]>("--target-modules") { Description = "Projections to adapt, or all-linear (default: every attention and MLP projection).", AllowMultipleArgumentsPerToken = true };
        var layers = new Option<string[]>("--layers-to-transform") { Description = "Adapt only the projections of these layers (0-based indices; default: every layer).", AllowMultipleArgumentsPerToken = true };
        var rsLora = new Option<bool>("--rslora") { Description = "Scale by alpha / sqrt(rank) (rank-stabilised LoRA)." };
        var learningRate = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 2e-4 };
        var warmup = new Option<int>("--warmup-steps") { Description = "Linear warmup steps before the cosine decay (when given, at most --max-steps).", DefaultValueFactory = _ => 10 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training data.", DefaultValueFactory = _ => 1 };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop after this many optimizer steps (instead of --epochs)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Sequences per micro-batch.", DefaultValueFactory = _ => 4 };
        var accumulation = new Option<int>("--grad-accum") { Description = "Micro-batches per optimizer step.", DefaultValueFactory = _ => 1 };
        var maxLength = new Option<int>("--max-length") { Description = "Most tokens per sequence (at least 2).", DefaultValueFactory = _ => 512 };
        var truncation = new Option<string>("--truncation") { Description = "Longer conversations: drop (default) or truncate.", DefaultValueFactory = _ => "drop" };
        truncation.AcceptOnlyFromAmong("drop", "truncate");
        var pack = new Option<bool>("--pack") { Description = "Pack short conversations into sequences of up to --max-length." };
        var lossOn = new Option<string>("--loss-on") { Description = "assistant (default: the assistant turns) or all tokens.", DefaultValueFactory = _ => "assistant" };
        lossOn.AcceptOnlyFromAmong("assistant", "all");
        var template = new Option<string>("--template") { Description = "Chat template: auto (the model's own, from chat_template.jinja or tokenizer_config.json) or chatml, llama3, mistral, gemma, phi3, plain.", DefaultValueFactory = _ => "auto" };
        var validationData = new Option<string[]>("--validation-data") { Description = "Records for the validation loss instead of a split of --data.", AllowMultipleArgumentsPerToken = true };
        var validationFraction = new Option<double>("--val-fraction") { Description = "Share of records held out for validation loss (by a hash of seed and id; at least 0, below 1).", DefaultValueFactory = _ => 0.1 };
        var evaluateEvery = new Option<int>("--eval-every") { Description = "Validation loss every N steps (and at the end).", DefaultValueFactory = _ => 50 };
        var saveEvery = new Option<int>("--save-every") { Description = "Resumable checkpoint every N steps (and at the end).", DefaultValueFactory = _ => 0 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => 0 };
        var clip = new Option<double>("--max-grad-norm") { Description = "Gradient clipping norm (above 0; the norm it measures also catches divergence).", DefaultValueFactory = _ => 1.0 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "auto" };
        var precision = CommonOptions.Precision();
        device.AcceptOnlyFromAmong("cpu", "cuda", "auto");
        var resume = new Option<string?>("--resume") { Description = "Continue from a checkpoint-N folder of an earlier run with the same data and options." };
        var merge = new Option<bool>("--merge") { Description = "Also write the base model with the adapter merged in (output/merged/); --full always writes output/model/." };
        var logEvery = new Option<int>("--log-every") { Description = "Progress line every N steps (default: about 20 lines per run)." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for torch (default: its own choice)." };
        var command = new Command("train", "Fine-tune a Hugging Face model on chat records with LoRA (or --full); writes a PEFT adapter, checkpoints and metrics.")
        {
            model, data, output, full, rank, alpha, dropout, targets, layers, rsLora, learningRate, warmup, epochs, maxSteps, batchSize, accumulation, maxLength, truncation, pack, lossOn,
            template, CommonOptions.TemplateArgs, validationData, validationFraction, evaluateEvery, saveEvery, weightDecay, clip, device, precision, resume, merge, logEvery, threads, CommonOptions.Seed,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var outputFolder = Path.GetFullPath(parseResult.GetRequiredValue(output));
            return await CommandErrors.ReportAsync(error, async () =>
            {
                // Every numeric option, before the model or the data is read.
                new OptionChecks(parseResult)
                    .AtLeast(rank, 1).Above(alpha, 0).AtLeastAndBelow(dropout, 0, 1)
                    .Above(learningRate, 0).AtLeast(warmup, 0).AtLeast(epochs, 1).AtLeast(maxSteps, 1)
                    .That(parseResult.GetValue(maxSteps) is not { } steps || parseResult.GetResult(warmup) is null or { Implicit: true } || parseResult.GetValue(warmup) <= steps, () => string.Create(
                        CultureInfo.InvariantCulture, $"--warmup-steps must be at most --max-steps ({parseResult.GetValue(maxSteps)}); got {parseResult.GetValue(warmup)}"))
                    .AtLeast(batchSize, 1).AtLeast(accumulation, 1).AtLeast(maxLength, 2).AtLeastAndBelow(validationFraction, 0, 1)
                    .AtLeast(evaluateEvery, 0).AtLeast(saveEvery, 0).AtLeast(weightDecay, 0).Above(clip, 0).AtLeast(logEvery, 0).AtLeast(threads, 0)
                    .That(parseResult.GetValue(resume) is not { } resumeFolder || Directory.Exists(resumeFolder), () => $"{parseResult.GetValue(resume)}: checkpoint folder not found (--resume)")
                    .That(Split(parseResult.GetValue(layers)) is not { } indices || indices.All(i => int.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out _)), () =>
                        $"--layers-to-transform must be layer indices (0 or more); got {string.Join(",", Split(parseResult.GetValue(layers))!)}");
                var modelFolder = Path.GetFullPath(parseResult.GetRequiredValue(model));
                var seed = parseResult.GetValue(CommonOptions.Seed) ?? 1;
                var checkpoint = Checkpoint.Open(modelFolder);
                if (checkpoint.Config.Architecture == ModelArchitecture.Gpt2 && parseResult.GetValue(maxLength) > checkpoint.Config.MaxPositions)
                {
                    throw new CurationException(string.Create(
                        CultureInfo.InvariantCulture, $"--max-length must be at most {checkpoint.Config.MaxPositions}, the positions this GPT-2 model has (n_positions); got {parseResult.GetValue(maxLength)}"));
                }

                var tokenizer = TokenizerCatalog.Load(modelFolder, Environment.CurrentDirectory);
                var chatTemplate = ChatTemplateCatalog.Resolve(parseResult.GetValue(template) ?? "auto", modelFolder, CommonOptions.TemplateArgsOf(parseResult));
                var encoder = new ChatExampleEncoder(tokenizer, chatTemplate, parseResult.GetValue(lossOn) == "all" ? LossOn.All : LossOn.Assistant);
                var records = await ChatRecordFiles.ReadAsync(parseResult.GetRequiredValue(data), cancellationToken);
                var separateValidation = parseResult.GetValue(validationData) is { Length: > 0 } validationInputs ? validationInputs : null;
                var lengthPolicy = parseResult.GetValue(truncation) == "truncate" ? Truncation.Truncate : Truncation.Drop;
                var (train, validation, report) = TrainingData.Build(
                    records, encoder, parseResult.GetValue(maxLength), lengthPolicy, separateValidation is null ? parseResult.GetValue(validationFraction) : 0, seed, parseResult.GetValue(pack));
                if (separateValidation is not null)
                {
                    var (heldOut, _, validationReport) = TrainingData.Build(
                        await ChatRecordFiles.ReadAsync(separateValidation, cancellationToken), encoder, parseResult.GetValue(maxLength), lengthPolicy, 0, seed, pack: false);
                    validation = heldOut;
                    report = report with { Validation = validationReport.Train };
                }
                var lora = parseResult.GetValue(full) ? null : new LoraOptions
                {
                    Rank = parseResult.GetValue(rank),
                    Alpha = parseResult.GetValue(alpha),
                    Dropout = parseResult.GetValue(dropout),
                    TargetModules = AllLinear(parseResult.GetValue(targets)) ? null : Split(parseResult.GetValue(targets)),
                    TargetPattern = AllLinear(parseResult.GetValue(targets)) ? LoraOptions.AllLinear : null,
                    LayersToTransform = Split(parseResult.GetValue(layers)) is { } layerIndices ? [.. layerIndices.Select(i => int.Parse(i, CultureInfo.InvariantCulture))] : null,
                    RsLora = parseResult.GetValue(rsLora),
                };
                var torchDevice = DeviceChoice.Resolve(parseResult.GetValue(device)!);
                var options = new TrainingOptions
                {
                    Lora = lora,
                    LearningRate = parseResult.GetValue(learningRate),
                    WarmupSteps = parseResult.GetValue(warmup),
                    Epochs = parseResult.GetValue(epochs),
                    MaxSteps = parseResult.GetValue(maxSteps),
                    BatchSize = parseResult.GetValue(batchSize),
                    GradientAccumulation = parseResult.GetValue(accumulation),
                    WeightDecay = parseResult.GetValue(weightDecay),
                    MaxGradientNorm = parseResult.GetValue(clip),
                    EvaluateEvery = parseResult.GetValue(evaluateEvery),
                    SaveEvery = parseResult.GetValue(saveEvery),
                    Seed = seed,
                    Threads = parseResult.GetValue(threads),
                    Precision = PrecisionChoice.Resolve(parseResult.GetValue(precision)!, torchDevice),
                };
                using var loaded = checkpoint.LoadModel();
                var trainer = new Trainer(loaded, options, torchDevice, modelFolder);
                var total = trainer.TotalSteps(train.Count);
                await writer.WriteLineAsync($"model    {checkpoint.Config} on {torchDevice.type.ToString().ToLowerInvariant()} in {PrecisionChoice.Name(options.Precision)}, {chatTemplate.Name} template, {tokenizer.Name}");
                await writer.WriteLineAsync($"data     {report}");
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"training {(lora is null ? "every weight" : $"LoRA rank {lora.Rank}, alpha {lora.Alpha}{(lora.RsLora ? " (rsLoRA)" : string.Empty)}")}: {total} steps of {options.BatchSize} x {options.GradientAccumulation} sequences, peak lr {options.LearningRate:G3}"));
                var log = new TrainingLog(writer, parseResult.GetValue(logEvery) is > 0 and var every ? every : Math.Max(1, total / 20));
                var live = Console.LiveProgress.IsTerminal && ReferenceEquals(writer, System.Console.Out) ? new Console.TrainingLiveProgress() : null;
                TrainingResult result;
                try
                {
                    result = live is null
                        ? trainer.Run(train, validation, outputFolder, log, cancellationToken, parseResult.GetValue(resume))
                        : live.Run(() => trainer.Run(train, validation, outputFolder, live, cancellationToken, parseResult.GetValue(resume)));
                }
                catch (OperationCanceledException)
                {
                    if ((live?.LastCheckpoint ?? log.LastCheckpoint) is { } last)
                    {
                        await error.WriteLineAsync($"curate: stopped; resume with --resume {DisplayPath.For(last)}");
                    }

                    throw;
                }
                catch (TrainingDivergedException diverged)
                {
                    await error.WriteLineAsync(DivergedMessage(diverged, options.LearningRate));
                    return ExitCodes.TrainingDiverged;
                }

                if (lora is null || parseResult.GetValue(merge))
                {
                    var complete = TrainedModelFolder.Write(loaded, hasAdapter: lora is not null, outputFolder, modelFolder);
                    await writer.WriteLineAsync($"{(lora is null ? "model " : "merged")}   {DisplayPath.For(complete)}");
                }

                await writer.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"done: {result.Steps} steps, final train loss {result.Losses[^1]:0.0000}{(result.FinalValidationLoss is { } v ? $", validation loss {v:0.0000}" : string.Empty)}"));
                if (lora is not null)
                {
                    await writer.WriteLineAsync($"adapter  {DisplayPath.For(Path.Combine(outputFolder, Trainer.AdapterFolder))}");
                }

                await writer.WriteLineAsync($"metrics  {DisplayPath.For(Path.Combine(outputFolder, Trainer.MetricsFile))}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    // One line: where and what, the usual cure, and what is left to resume from.
    private static string DivergedMessage(TrainingDivergedException diverged, double learningRate) => string.Create(
        CultureInfo.InvariantCulture,
        $"curate: training diverged at step {diverged.Step}: {diverged.Reason}{(diverged.Step > 0 ? $"; lower --lr (it was {learningRate:G3})" : string.Empty)}{(diverged.LastCheckpoint is { } last ? $"; the last good checkpoint is {DisplayPath.For(last)}" : "; no checkpoint saved before it is trusted")}");

    /// <summary>Plain progress lines: loss, learning rate, tokens/s and ETA every N steps; validation and checkpoints as they happen.</summary>
    private sealed class TrainingLog(TextWriter writer, int every) : ITrainingObserver
    {
        public string? LastCheckpoint { get; private set; }

        public void OnStep(StepMetrics metrics)
        {
            if (metrics.Step == 1 || metrics.Step == metrics.TotalSteps || metrics.Step % every == 0)
            {
                writer.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"step {metrics.Step}/{metrics.TotalSteps}  epoch {metrics.Epoch + 1}  loss {metrics.Loss:0.0000}  lr {metrics.LearningRate:0.00e+00}  grad norm {metrics.GradientNorm:0.000}  {metrics.TokensPerSecond:N0} tok/s  elapsed {metrics.Elapsed:h\\:mm\\:ss}  ETA {metrics.Remaining:h\\:mm\\:ss}"));
            }
        }

        public void OnValidation(ValidationMetrics metrics) =>
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {metrics.Step}  validation loss {metrics.Loss:0.0000} over {metrics.Tokens:N0} tokens"));

        public void OnCheckpoint(int step, string folder)
        {
            LastCheckpoint = folder;
            writer.WriteLine($"step {step}  checkpoint {DisplayPath.For(folder)}");
        }
    }

    // Names given as separate arguments, comma-separated, or both; null when none.
    private static List<string>? Split(string[]? values) =>
        values is { Length: > 0 } ? [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))] : null;

    private static bool AllLinear(string[]? values) =>
        Split(values) is [var only] && string.Equals(only, LoraOptions.AllLinear, StringComparison.OrdinalIgnoreCase);
}
