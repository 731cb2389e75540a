using Curation.Training.Lora;
using Curation.Training.Models;

namespace Curation.Training.Checkpoints;

/// <summary>
/// The complete model folder a training run leaves beside its adapter: the trained weights of a full fine-tune
/// (<c>model/</c>), or the base model with the adapter merged in (<c>merged/</c>), each with the base model's config
/// and tokenizer, so that it loads like any Hugging Face model.
/// </summary>
public static class TrainedModelFolder
{
    public const string FullFineTune = "model";
    public const string Merged = "merged";

    /// <summary>Writes the folder under <paramref name="outputFolder"/> and returns its path.</summary>
    /// <param name="model">The trained model; with an attached adapter it is merged in place first.</param>
    /// <param name="hasAdapter">Whether <paramref name="model"/> carries a LoRA adapter (false: every weight was trained).</param>
    public static string Write(CausalLm model, bool hasAdapter, string outputFolder, string baseModelFolder)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (hasAdapter)
        {
            LoraAdapter.Merge(model);
        }

        var folder = Path.Combine(outputFolder, hasAdapter ? Merged : FullFineTune);
        Checkpoint.WriteModelFolder(model, folder, baseModelFolder);
        return folder;
    }
}
