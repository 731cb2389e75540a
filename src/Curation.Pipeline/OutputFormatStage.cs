using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.IO.Writers;

namespace Curation.Pipeline;

/// <summary>
/// Added before the writer when the output format cannot hold every conversation (alpaca, ShareGPT): a record it
/// cannot write without losing turns or names is rejected with rule <c>unrepresentable</c> instead of being cut.
/// </summary>
internal sealed class OutputFormatStage(OutputFormat format) : IRecordStage
{
    public const string StageName = "output-format";

    public string Name => StageName;

    public static bool IsNeededFor(OutputFormat format) => format is OutputFormat.Alpaca or OutputFormat.ShareGpt;

    public StageResult Apply(ChatRecord record) =>
        JsonlRecordWriter.CanRepresent(record, format, out var reason)
            ? StageResult.Keep(record)
            : StageResult.Drop(JsonlRecordWriter.UnrepresentableRule, reason);
}
