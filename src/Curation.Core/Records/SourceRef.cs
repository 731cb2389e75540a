using System.Globalization;

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
public readonly record struct SourceRef(string File, long Position, SourceUnit Unit) : ISpanFormattable
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{this}");

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Writes what <see cref="ToString()"/> gives without making a string (labels written straight to a buffer).</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) => Unit switch
    {
        SourceUnit.Line => destination.TryWrite(CultureInfo.InvariantCulture, $"{File}:{Position}", out charsWritten),
        SourceUnit.Row => destination.TryWrite(CultureInfo.InvariantCulture, $"{File}:row {Position}", out charsWritten),
        _ => destination.TryWrite(CultureInfo.InvariantCulture, $"{File}:element {Position}", out charsWritten),
    };

    public string UnitName => Unit switch
    {
        SourceUnit.Line => "line",
        SourceUnit.Row => "row",
        _ => "element",
    };
}
