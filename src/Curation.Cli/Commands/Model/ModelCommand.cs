using System.CommandLine;
using Curation.Training.Checkpoints;

namespace Curation.Cli.Commands.Model;

/// <summary><c>curate model init</c>: a random-initialised model in Hugging Face layout with a real tokenizer, for offline runs.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var architecture = new Option<string>("--arch") { Description = "llama (RMSNorm, RoPE, SwiGLU, grouped-query attention) or gpt2.", DefaultValueFactory = _ => "llama" };
        architecture.AcceptOnlyFromAmong("llama", "gpt2");
        var preset = new Option<string>("--preset") { Description = "tiny (hidden 64, 2 layers, 4,099 tokens) or small (hidden 256, 4 layers, 8,195 tokens).", DefaultValueFactory = _ => "tiny" };
        preset.AcceptOnlyFromAmong("tiny", "small");
        var output = new Option<string>("--output", "-o") { Description = "Folder to write (must be empty or absent).", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed of the random weights.", DefaultValueFactory = _ => 1 };
        var init = new Command("init", "Write a random-initialised model (config.json, model.safetensors, tokenizer.json with GPT-2's BPE and ChatML markers, tokenizer_config.json).")
        {
            architecture, preset, output, seed,
        };
        init.SetAction(async (parseResult, cancellationToken) =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            return await CommandErrors.ReportAsync(parseResult.InvocationConfiguration.Error, async () =>
            {
                var files = ModelInitializer.Write(
                    parseResult.GetRequiredValue(output),
                    parseResult.GetValue(architecture) == "gpt2" ? ModelArchitecture.Gpt2 : ModelArchitecture.Llama,
                    parseResult.GetValue(preset) == "small" ? ModelPreset.Small : ModelPreset.Tiny,
                    parseResult.GetValue(seed));
                await writer.WriteLineAsync(ModelConfig.Load(files[0]).ToString());
                foreach (var file in files)
                {
                    await writer.WriteLineAsync($"wrote    {Curation.Core.Files.DisplayPath.For(file)}");
                }

                return ExitCodes.Ok;
            });
        });
        return new Command("model", "Models: initialise one for offline runs.") { init };
    }
}
