using Curation.Core.Records;

namespace Curation.Core.Stages;

/// <summary>What a per-record stage decided: keep (possibly changed) or drop under a named rule.</summary>
public readonly record struct StageResult
{
    private StageResult(ChatRecord? record, string? rule, string? detail)
    {
        Record = record;
        Rule = rule;
        Detail = detail;
    }

    public ChatRecord? Record { get; }

    public string? Rule { get; }

    public string? Detail { get; }

    public bool IsKept => Record is not null;

    public static StageResult Keep(ChatRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record, null, null);
    }

    public static StageResult Drop(string rule, string detail)
    {
        ArgumentException.ThrowIfNullOrEmpty(rule);
        return new(null, rule, detail);
    }
}
