namespace Curation.Filters.Quality.Text;

/// <summary>
/// Counts sentence ends as the regular expression <c>[.!?]+["']?(?=\s|$)</c> matches them in a line without '\n': a
/// run of '.', '!' and '?', optionally closed by one quote, followed by whitespace or the end. A run that fails at its
/// first character fails at every later one (they share its end), so each maximal run is tried once.
/// </summary>
internal static class SentenceEnds
{
    public static int Count(ReadOnlySpan<char> line)
    {
        var count = 0;
        var at = line.IndexOfAny('.', '!', '?');
        while (at >= 0)
        {
            var end = at + 1;
            while (end < line.Length && line[end] is '.' or '!' or '?')
            {
                end++;
            }

            if (EndsSentence(line, end))
            {
                count++;
            }

            var next = line[end..].IndexOfAny('.', '!', '?');
            at = next < 0 ? -1 : end + next;
        }

        return count;
    }

    private static bool EndsSentence(ReadOnlySpan<char> line, int runEnd)
    {
        if (runEnd < line.Length && line[runEnd] is '"' or '\'' && (runEnd + 1 == line.Length || char.IsWhiteSpace(line[runEnd + 1])))
        {
            return true;
        }

        return runEnd == line.Length || char.IsWhiteSpace(line[runEnd]);
    }
}
