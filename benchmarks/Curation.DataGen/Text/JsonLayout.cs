namespace Curation.DataGen.Text;

/// <summary>How a file's JSON looks; the sample mixes the styles real exports use.</summary>
internal enum JsonLayout
{
    /// <summary><c>{"a":"b"}</c>, as most JSONL writers emit.</summary>
    Compact,

    /// <summary><c>{"a": "b"}</c>, Python's <c>json.dumps</c> default.</summary>
    Spaced,

    /// <summary>Two-space indentation, Python's <c>json.dump(..., indent=2)</c>.</summary>
    Indented,
}
