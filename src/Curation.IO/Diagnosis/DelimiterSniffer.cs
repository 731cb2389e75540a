using System.Text;

namespace Curation.IO.Diagnosis;

/// <summary>
/// Tells the delimiter of a CSV/TSV from its first records: the candidate that splits every one of them into the same
/// number of cells, more than one. A hint only when that is not the delimiter the file is read with.
/// </summary>
internal static class DelimiterSniffer
{
    private const int MaxRecords = 20;

    private static readonly char[] Candidates = [',', ';', '\t', '|'];

    public static string? Explain(ReadOnlySpan<byte> head, string configured)
    {
        var text = Encoding.UTF8.GetString(Formats.Utf8Bom.Skip(head));

        // A head cut short ends inside a record; only whole lines count.
        var end = text.LastIndexOf('\n');
        if (end < 0)
        {
            return null;
        }

        text = text[..end];
        if (configured.Length == 1 && Columns(text, configured[0]) > 1)
        {
            return null;
        }

        char? best = null;
        var bestColumns = 1;
        foreach (var candidate in Candidates)
        {
            if (configured.Length == 1 && candidate == configured[0])
            {
                continue;
            }

            var columns = Columns(text, candidate);
            if (columns > bestColumns)
            {
                (best, bestColumns) = (candidate, columns);
            }
        }

        return best switch
        {
            null => null,
            '\t' => "looks tab-delimited: set delimiter: tab on this input",
            { } delimiter => $"looks '{delimiter}'-delimited: set delimiter: '{delimiter}' on this input",
        };
    }

    /// <summary>
    /// The number of cells every one of the first records has with <paramref name="delimiter"/> (quotes respected,
    /// blank lines skipped); 0 when they differ or there are fewer than two records (a header and a row).
    /// </summary>
    private static int Columns(string text, char delimiter)
    {
        var expected = -1;
        var records = 0;
        var cells = 1;
        var quoted = false;
        var empty = true;
        for (var i = 0; i <= text.Length && records < MaxRecords; i++)
        {
            var c = i < text.Length ? text[i] : '\n';
            if (c == '"')
            {
                quoted = !quoted;
                empty = false;
            }
            else if (quoted)
            {
                continue;
            }
            else if (c == delimiter)
            {
                cells++;
                empty = false;
            }
            else if (c == '\n')
            {
                if (!empty)
                {
                    if (expected >= 0 && cells != expected)
                    {
                        return 0;
                    }

                    expected = cells;
                    records++;
                }

                (cells, empty) = (1, true);
            }
            else if (c != '\r')
            {
                empty = false;
            }
        }

        return records >= 2 ? expected : 0;
    }
}
