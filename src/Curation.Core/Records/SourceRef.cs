namespace Curation.Core.Records;

public enum SourceUnit
{
    /// <summary>1-based line of a line-delimited file.</summary>
    Line,

    /// <summary>1-based data row of a table (CSV, TSV, Parquet), header not counted.</summary>
    Row,

    /// <summary>1-based element of a top-level JSON array.</summary>
    Element,
}

/// <summary>Where a record came from: a file and its line, row or array element.</summary>
public readonly record struct SourceRef(string File, long Position, SourceUnit Unit)
{
    public override string ToString() => Unit switch
    {
        SourceUnit.Line => $"{File}:{Position}",
        SourceUnit.Row => $"{File}:row {Position}",
        _ => $"{File}:element {Position}",
    };

    public string UnitName => Unit switch
    {
        SourceUnit.Line => "line",
        SourceUnit.Row => "row",
        _ => "element",
    };
}
