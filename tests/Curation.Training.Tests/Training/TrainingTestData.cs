using Curation.Core.Records;
using Curation.TestKit;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;
using Curation.Training.Checkpoints;
using Curation.Training.Data;

namespace Curation.Training.Tests.Training;

/// <summary>A tiny fact-recall task: the base model cannot know the made-up capitals; training teaches them.</summary>
internal static class TrainingTestData
{
    public static readonly (string Country, string Capital)[] Facts =
    [
        ("Zorvia", "Quell"), ("Pemland", "Ostra"), ("Karuna", "Belim"), ("Tessaly", "Morwen"), ("Ulbrecht", "Sandor"), ("Vinhaven", "Corra"),
        ("Drast", "Ilmo"), ("Yelland", "Pivot"), ("Orrin", "Tamsk"), ("Quarra", "Lune"), ("Haldor", "Ebris"), ("Nimmet", "Vask"),
    ];

    public static IEnumerable<ChatRecord> Records(int copies = 2) =>
        Enumerable.Range(0, copies).SelectMany(copy => Facts.Select((fact, i) => Chat.Builder()
            .WithId($"fact-{i}-{copy}")
            .User(copy % 2 == 0 ? $"What is the capital of {fact.Country}?" : $"Name the capital city of {fact.Country}.")
            .Assistant($"The capital of {fact.Country} is {fact.Capital}.")
            .Build()));

    public static (string Folder, ChatExampleEncoder Encoder) Model(TempFolder folder, ModelArchitecture architecture = ModelArchitecture.Llama, ModelPreset preset = ModelPreset.Tiny)
    {
        var model = folder.File("model");
        ModelInitializer.Write(model, architecture, preset, seed: 3);
        var tokenizer = TokenizerCatalog.Load(model, folder.Path);
        return (model, new ChatExampleEncoder(tokenizer, ChatTemplateCatalog.Detect(model), LossOn.Assistant));
    }
}
