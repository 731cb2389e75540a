using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Lora;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Serving;

/// <summary>
/// The loaded base model, served under <paramref name="Name"/>, with what turns text into its ids and back; each of
/// its <paramref name="Adapters"/> is served under the adapter's own name.
/// </summary>
public sealed record ServedModel(string Name, CausalLm Model, TextTokenizer Tokenizer, ChatTemplate Template, Device Device, ServedAdapters Adapters)
{
    /// <summary>The adapter index a model name selects (null: the base model), or false when nothing is served under it.</summary>
    public bool TryResolve(string model, out int? adapter)
    {
        ArgumentNullException.ThrowIfNull(model);
        adapter = Adapters.IndexOf(model);
        return adapter is not null || string.Equals(model, Name, StringComparison.Ordinal);
    }

    /// <summary>Every name served: the base model's first.</summary>
    public IEnumerable<string> Names => [Name, .. Adapters.Names];
}
