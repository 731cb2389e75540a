using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Core.Tests.Runtime;

/// <summary>Drops responses containing "drop", throws on "boom", upper-cases the rest.</summary>
internal sealed class ShoutStage(string name = "shout") : IRecordStage
{
    public string Name => name;

    public StageResult Apply(ChatRecord record)
    {
        var response = record.Messages[^1].Content;
        if (response.Contains("boom", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("exploded");
        }

        if (response.Contains("drop", StringComparison.Ordinal))
        {
            return StageResult.Drop("contains-drop", "response contains 'drop'");
        }

        // Uneven work so that workers finish out of order.
        Thread.SpinWait((response.Length % 7) * 2000);
        return StageResult.Keep(record with { Messages = record.Messages.SetItem(record.Messages.Length - 1, record.Messages[^1] with { Content = response.ToUpperInvariant() }) });
    }
}
