using Curation.Core;
using Curation.Core.Stages;
using Curation.Filters.Length;
using Curation.Filters.Pii;
using Curation.Filters.Quality;
using Curation.Tokenization;
using Curation.Tokenization.ChatTemplates;
using Curation.Tokenization.Tokenizers;

namespace Curation.Filters;

/// <summary>Registers the filter stage kinds.</summary>
public static class FilterStages
{
    public const string TokenLength = "token-length";

    // Quality stages list their rules on the instance (a `disable` list is checked against them); the registry
    // reads them from an instance with default options.
    public static StageRegistry AddFilterStages(this StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Register<LengthFilterOptions>(
                TokenLength,
                "Token counts with the model's tokenizer and chat template: min/max total, per turn, prompt, response; drop or truncate",
                LengthFilterStage.Rules,
                (options, context) => new LengthFilterStage(options, CounterFor(options, context.BaseDirectory), context.Name))
            .Register<GopherQualityOptions>(
                "gopher-quality",
                "Gopher's document rules (Rae et al. 2021): words, word length, symbols, bullets, ellipses, alphabetic words, stop words",
                new GopherQualityStage(new GopherQualityOptions(), "gopher-quality").Rules,
                (options, context) => Checked(new GopherQualityStage(options, context.Name), options.Disable))
            .Register<GopherRepetitionOptions>(
                "gopher-repetition",
                "Gopher's repetition rules: repeated lines and paragraphs, frequent 2-4-grams, repeated 5-10-grams",
                new GopherRepetitionStage(new GopherRepetitionOptions(), "gopher-repetition").Rules,
                (options, context) => Checked(new GopherRepetitionStage(options, context.Name), options.Disable))
            .Register<FineWebQualityOptions>(
                "fineweb-quality",
                "FineWeb's line rules (Penedo et al. 2024): punctuated lines, short lines, repeated lines, list-like text",
                new FineWebQualityStage(new FineWebQualityOptions(), "fineweb-quality").Rules,
                (options, context) => Checked(new FineWebQualityStage(options, context.Name), options.Disable))
            .Register<C4QualityOptions>(
                "c4-quality",
                "C4's rules (Raffel et al. 2020): lorem ipsum, curly brackets, very long words, too few sentences in well-formed lines",
                new C4QualityStage(new C4QualityOptions(), "c4-quality").Rules,
                (options, context) => Checked(new C4QualityStage(options, context.Name), options.Disable))
            .Register<InstructionQualityOptions>(
                "instruction-quality",
                "Instruction data: short responses, responses echoing the prompt, refusal and boilerplate phrases, unbalanced code fences",
                new InstructionQualityStage(new InstructionQualityOptions(), "instruction-quality").Rules,
                (options, context) => Checked(new InstructionQualityStage(options, context.Name), options.Disable))
            .Register<PiiOptions>(
                "pii",
                "E-mail, phone, IPv4/IPv6, payment cards (Luhn), IBANs (mod 97), API keys, private keys: redact with a token or reject",
                PiiStage.Rules,
                (options, context) => new PiiStage(options, context.Name));
    }

    private static QualityStage Checked(QualityStage stage, IEnumerable<string> disabled)
    {
        if (disabled.FirstOrDefault(rule => !stage.Rules.Contains(rule)) is { } unknown)
        {
            throw new CurationException($"parameter 'disable' names unknown rule '{unknown}'; its rules are {string.Join(", ", stage.Rules)}");
        }

        return stage;
    }

    private static ChatTokenCounter CounterFor(LengthFilterOptions options, string baseDirectory)
    {
        var tokenizer = TokenizerCatalog.Load(options.Tokenizer!, baseDirectory);
        var template = TokenizerCatalog.Encodings.Contains(options.Tokenizer!) && options.Template.Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? options.TemplateArgs.Count == 0
                ? ChatTemplateCatalog.ChatMl
                : throw new CurationException($"template_args are passed to a model folder's own chat template; tokenizer '{options.Tokenizer}' is a named encoding, rendered with chatml")
            : ChatTemplateCatalog.Resolve(options.Template, ModelFolder(options.Tokenizer!, baseDirectory), options.TemplateArgs);
        return new ChatTokenCounter(tokenizer, template);
    }

    private static string ModelFolder(string tokenizer, string baseDirectory)
    {
        var path = Path.GetFullPath(tokenizer, baseDirectory);
        return Directory.Exists(path) ? path : Path.GetDirectoryName(path)!;
    }
}
