using Curation.Core;

namespace Curation.IO.Readers;

/// <summary>The cell delimiter of a CSV/TSV input: from its <c>delimiter</c> setting, else from its extension.</summary>
public static class CsvDelimiter
{
    /// <summary>The delimiter from the options (<c>tab</c> and <c>\t</c> name a tab), else from the extension.</summary>
    public static string Resolve(string? configured, bool tabSeparated)
    {
        if (configured is null)
        {
            return tabSeparated ? "\t" : ",";
        }

        if (Problem(configured) is { } problem)
        {
            throw new CurationException($"inputs: parameter 'delimiter': {problem}");
        }

        return configured.Equals("tab", StringComparison.OrdinalIgnoreCase) || configured == "\\t" ? "\t" : configured;
    }

    /// <summary>What is wrong with a configured delimiter, or null when a reader can use it.</summary>
    public static string? Problem(string configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        if (configured.Length == 0)
        {
            return "expected one or more characters (or 'tab'), got an empty string";
        }

        // A quote or a line break in the delimiter would make every quoted cell and every row ambiguous.
        return configured.AsSpan().IndexOfAny('"', '\r', '\n') >= 0
            ? $"expected characters other than a quote or a line break (or 'tab'), got '{configured.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}'"
            : null;
    }
}
