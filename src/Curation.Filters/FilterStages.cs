using Curation.Core.Stages;
using Curation.Filters.Length;
using Curation.Tokenization;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;

namespace Curation.Filters;

/// <summary>Registers the filter stage kinds.</summary>
public static class FilterStages
{
    public const string TokenLength = "token-length";

    public static StageRegistry AddFilterStages(this StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Register<LengthFilterOptions>(
            TokenLength,
            "Token counts with the model's tokenizer and chat template: min/max total, per turn, prompt, response; drop or truncate",
            (options, context) => new LengthFilterStage(options, CounterFor(options, context.BaseDirectory), context.Name));
    }

    private static ChatTokenCounter CounterFor(LengthFilterOptions options, string baseDirectory)
    {
        var tokenizer = TokenizerCatalog.Load(options.Tokenizer!, baseDirectory);
        var template = options.Template.Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? TokenizerCatalog.Encodings.Contains(options.Tokenizer!)
                ? ChatTemplateCatalog.ChatMl
                : ChatTemplateCatalog.Detect(ModelFolder(options.Tokenizer!, baseDirectory))
            : ChatTemplateCatalog.ByName(options.Template);
        return new ChatTokenCounter(tokenizer, template);
    }

    private static string ModelFolder(string tokenizer, string baseDirectory)
    {
        var path = Path.GetFullPath(tokenizer, baseDirectory);
        return Directory.Exists(path) ? path : Path.GetDirectoryName(path)!;
    }
}
