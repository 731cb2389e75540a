using System.Runtime.InteropServices;
using Curation.Core;
using Curation.Training.Lora;
using Curation.Training.Models;
using Curation.Training.Optimization;
using static TorchSharp.torch;

namespace Curation.Training.Checkpoints;

/// <summary>
/// A resumable checkpoint folder (<c>checkpoint-N/</c>): the adapter (or every weight), AdamW's state and
/// <c>trainer_state.json</c>. It is written into a staged folder and renamed into place, so it appears whole or not at
/// all; the state records each file's size and SHA-256, so on resume a truncated or damaged file is named, not loaded.
/// </summary>
internal static class TrainingCheckpoint
{
    /// <summary>TorchSharp's AdamW state, which checkpoints held before the optimizer became our own.</summary>
    private const string LegacyOptimizerFile = "optimizer.bin";

    public static void Write(string folder, CausalLm model, LoraOptions? lora, AdamWOptimizer optimizer, int step, int total, long seed, string baseModel)
    {
        OutputFiles.WriteFolder(folder, staged =>
        {
            var files = lora is not null ? LoraAdapter.Save(model, lora, staged, baseModel) : Checkpoint.WriteWeights(model, staged);
            var optimizerPath = Path.Combine(staged, Trainer.OptimizerFile);
            optimizer.Save(optimizerPath);
            using var rng = get_rng_state();
            var digests = files.Append(optimizerPath).ToDictionary(file => Path.GetFileName(file), FileDigest.Of, StringComparer.Ordinal);
            var state = new TrainerState(step, total, seed, lora is not null, rng.data<byte>().ToArray(), digests);
            OutputFiles.WriteText(Path.Combine(staged, Trainer.StateFile), state.ToJson());
        });
    }

    /// <summary>Loads a checkpoint's weights, optimizer state and random state; returns the step it was taken after.</summary>
    /// <exception cref="CurationException">A missing folder or file, a damaged file, or a checkpoint of another run or model: one line naming it.</exception>
    public static int Restore(string folder, CausalLm model, LoraOptions? lora, AdamWOptimizer optimizer)
    {
        if (!Directory.Exists(folder))
        {
            throw new CurationException($"{folder}: checkpoint folder not found");
        }

        var statePath = Path.Combine(folder, Trainer.StateFile);
        var state = TrainerState.Read(statePath);
        if (state.Lora != lora is not null)
        {
            throw new CurationException($"{folder}: a {(state.Lora ? "LoRA" : "full")} checkpoint cannot resume a {(lora is null ? "full" : "LoRA")} run");
        }

        Verify(folder, state);
        if (lora is not null)
        {
            LoraAdapter.LoadWeights(model, folder);
        }
        else
        {
            Checkpoint.Open(folder, model.Config).LoadInto(model);
        }

        LoadOptimizer(Path.Combine(folder, Trainer.OptimizerFile), optimizer);
        using var current = get_rng_state();
        if (current.shape[0] != state.RandomState.Length)
        {
            throw new CurationException($"{statePath}: damaged: 'torch_rng_state' holds {state.RandomState.Length} bytes; torch's random state has {current.shape[0]}");
        }

        using var rng = tensor(state.RandomState, dtype: ScalarType.Byte);
        set_rng_state(rng);
        return state.Step;
    }

    // Every file the state lists must be there with the size and digest it had; the weights and the optimizer state
    // must be there even in a checkpoint that predates the digests.
    private static void Verify(string folder, TrainerState state)
    {
        if (!File.Exists(Path.Combine(folder, Trainer.OptimizerFile)) && File.Exists(Path.Combine(folder, LegacyOptimizerFile)))
        {
            throw new CurationException(
                $"{folder}: written by an earlier curate, whose optimizer state ({LegacyOptimizerFile}) cannot be resumed; start a new run from its {(state.Lora ? "adapter" : "weights")} instead");
        }

        var required = new List<string> { Trainer.OptimizerFile };
        if (state.Lora)
        {
            required.Add(LoraAdapter.WeightsFile);
        }
        else if (!File.Exists(Path.Combine(folder, Checkpoint.IndexFile)))
        {
            required.Add(Checkpoint.SingleFile);
        }

        foreach (var name in required.Concat(state.Files?.Keys ?? []).Distinct(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(folder, name)))
            {
                throw new CurationException($"{Path.Combine(folder, name)}: missing; the checkpoint is incomplete");
            }
        }

        foreach (var (name, expected) in state.Files ?? new Dictionary<string, FileDigest>())
        {
            var path = Path.Combine(folder, name);
            var actual = FileDigest.Of(path);
            if (actual.Bytes != expected.Bytes)
            {
                throw new CurationException($"{path}: truncated or damaged: {actual.Bytes} bytes; {Trainer.StateFile} recorded {expected.Bytes}");
            }

            if (!string.Equals(actual.Sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new CurationException($"{path}: damaged: its SHA-256 is not the one {Trainer.StateFile} recorded");
            }
        }
    }

    private static void LoadOptimizer(string path, AdamWOptimizer optimizer)
    {
        try
        {
            optimizer.Load(path);
        }
        catch (Exception ex) when (ex is CurationException or IOException or ExternalException)
        {
            var reason = FirstLine(ex.Message);
            reason = reason.StartsWith(path + ": ", StringComparison.Ordinal) ? reason[(path.Length + 2)..] : reason;
            throw new CurationException($"{path}: not the optimizer state of this run ({reason})", ex);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r');
}
