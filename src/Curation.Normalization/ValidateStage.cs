using Curation.Core.Conversations;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Normalization;

/// <summary>The <c>validate</c> stage: rejects conversations a chat fine-tune cannot use (<see cref="ConversationValidator"/>).</summary>
internal sealed class ValidateStage : IRecordStage
{
    private readonly ConversationValidator _validator;

    public ValidateStage(ConversationRules rules, string name = StageKinds.Validate)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _validator = new ConversationValidator(rules);
    }

    public string Name { get; }

    public StageResult Apply(ChatRecord record) => _validator.Check(record);
}
