using Curation.Core.Conversations;
using Curation.Core.Stages;

namespace Curation.Normalization;

/// <summary>Registers the <c>normalize</c> and <c>validate</c> stage kinds.</summary>
public static class NormalizationStages
{
    public static StageRegistry AddNormalizationStages(this StageRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Register<NormalizeOptions>(
                StageKinds.Normalize,
                "Unicode form, line endings, control and zero-width characters, whitespace (code fences kept), role aliases",
                RulesOf(StageKinds.Normalize),
                (options, context) => new NormalizeStage(options, context.Name))
            .Register<ConversationRules>(
                StageKinds.Validate,
                "Rejects malformed conversations: roles, order, empty turns, missing assistant turn",
                RulesOf(StageKinds.Validate),
                (options, context) => new ValidateStage(options, context.Name));
    }

    private static string[] RulesOf(string kind) => [.. RuleCatalog.Rules.Where(rule => rule.Stage == kind).Select(rule => rule.Name)];
}
