namespace Curation.Serving.Scheduling;

/// <summary>Where a reply's text ends for a request's stop strings (OpenAI's <c>stop</c>): before the first one found.</summary>
internal static class StopStrings
{
    /// <summary>The index of the first stop string in <paramref name="text"/>, or -1.</summary>
    public static int First(string text, IReadOnlyList<string> stop)
    {
        var first = -1;
        foreach (var marker in stop)
        {
            var index = text.IndexOf(marker, StringComparison.Ordinal);
            if (index >= 0 && (first < 0 || index < first))
            {
                first = index;
            }
        }

        return first;
    }

    /// <summary>The length of the longest tail of <paramref name="text"/> that is the start of some stop string.</summary>
    public static int PartialTail(string text, IReadOnlyList<string> stop)
    {
        var longest = 0;
        foreach (var marker in stop)
        {
            for (var length = Math.Min(marker.Length - 1, text.Length); length > longest; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(marker.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }
}
