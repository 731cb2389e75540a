using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.TestKit.Stages;

/// <summary>A stage that runs before the one under test and rejects the records at the given lines, as any earlier filter would.</summary>
public sealed class EarlierStage(IReadOnlySet<long> lines) : IRecordStage
{
    public const string StageName = "earlier-stage";
    public const string Rule = "earlier-rule";

    public string Name => StageName;

    public StageResult Apply(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return lines.Contains(record.Source.Position) ? StageResult.Drop(Rule, "rejected before the stage under test") : StageResult.Keep(record);
    }
}
