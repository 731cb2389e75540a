using System.Text.Json;
using Curation.Core.Records;

namespace Curation.Splits;

/// <summary>What a record's stratum is: nothing (one stratum), its source file, or a metadata field's value.</summary>
internal sealed record Stratum(StratumKind Kind, string? Field)
{
    public const string SourceSetting = "source";
    public const string TagPrefix = "tag:";

    /// <summary>The stratum of records that lack the <c>tag:</c> field.</summary>
    public const string Missing = "(none)";

    public static Stratum None { get; } = new(StratumKind.None, null);

    public static bool TryParse(string? setting, out Stratum stratum)
    {
        stratum = None;
        if (setting is null)
        {
            return true;
        }

        if (setting == SourceSetting)
        {
            stratum = new Stratum(StratumKind.Source, null);
            return true;
        }

        if (setting.StartsWith(TagPrefix, StringComparison.Ordinal) && setting.Length > TagPrefix.Length)
        {
            stratum = new Stratum(StratumKind.Tag, setting[TagPrefix.Length..]);
            return true;
        }

        return false;
    }

    public string Of(ChatRecord record) => Kind switch
    {
        StratumKind.Source => record.Source.File,
        StratumKind.Tag => record.Metadata.TryGetValue(Field!, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : Missing,
        _ => string.Empty,
    };

    public string Describe() => Kind switch
    {
        StratumKind.Source => "stratified by source file",
        StratumKind.Tag => $"stratified by metadata '{Field}'",
        _ => "not stratified",
    };
}

internal enum StratumKind
{
    None,
    Source,
    Tag,
}
