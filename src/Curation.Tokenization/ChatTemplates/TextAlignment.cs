namespace Curation.Tokenization.ChatTemplates;

/// <summary>
/// Where the end of one rendering falls in another: how a shorter conversation's text maps into the full one when
/// the template writes earlier turns differently once later turns exist (Qwen3 drops the empty think block of an
/// answer that is no longer the last, Qwen2.5 closes a run of tool results only at its end).
/// </summary>
internal static class TextAlignment
{
    // Beyond these, the cheapest alignment is not searched for, and the common prefix is the answer.
    private const int MaxRemainder = 4_096;
    private const int Band = 512;

    public static int CommonPrefixLength(string a, string b, int aFrom = 0, int bFrom = 0) =>
        a.AsSpan(aFrom).CommonPrefixLength(b.AsSpan(bFrom));

    /// <summary>
    /// The position in <paramref name="full"/> that the end of <paramref name="part"/> corresponds to: its length
    /// when it is a prefix, else the end of the alignment with the fewest characters inserted or deleted after the
    /// point where the two differ.
    /// </summary>
    public static int AlignEnd(string part, string full)
    {
        var common = CommonPrefixLength(part, full);
        return common == part.Length ? common : common + CheapestEnd(part.AsSpan(common), full.AsSpan(common));
    }

    /// <summary>
    /// Like <see cref="AlignEnd"/>, but anchored on <paramref name="content"/> (the last message's text) where the
    /// two texts first differ inside the turn that starts at <paramref name="turnStart"/>: the end is that content's
    /// end in <paramref name="full"/> plus what follows it in both.
    /// </summary>
    public static int AlignTurnEnd(string part, string full, string content, int turnStart)
    {
        var common = CommonPrefixLength(part, full);
        if (common == part.Length)
        {
            return common;
        }

        // Short contents could match inside the template's own markers; those are left to the alignment.
        if (content.Length >= 16 && turnStart <= common)
        {
            var inPart = part.IndexOf(content, turnStart, StringComparison.Ordinal);
            var windowEnd = Math.Min(full.Length, common + content.Length);
            var inFull = windowEnd - turnStart >= content.Length
                ? full.LastIndexOf(content, windowEnd - 1, windowEnd - turnStart, StringComparison.Ordinal)
                : -1;
            if (inPart >= 0 && inFull >= 0)
            {
                var partEnd = inPart + content.Length;
                var fullEnd = inFull + content.Length;
                return fullEnd + CommonPrefixLength(part, full, partEnd, fullEnd);
            }
        }

        return common + CheapestEnd(part.AsSpan(common), full.AsSpan(common));
    }

    /// <summary>
    /// The length of the prefix of <paramref name="y"/> that <paramref name="x"/> aligns to with the fewest
    /// insertions and deletions (a banded edit distance with a free end in <paramref name="y"/>); the shortest such
    /// prefix on a tie.
    /// </summary>
    private static int CheapestEnd(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        if (x.Length > MaxRemainder)
        {
            return 0;
        }

        var width = Math.Min(y.Length, x.Length + Band);
        var previous = new int[width + 1];
        var current = new int[width + 1];
        for (var j = 0; j <= width; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= x.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= width; j++)
            {
                var best = Math.Min(previous[j], current[j - 1]) + 1;
                if (x[i - 1] == y[j - 1])
                {
                    best = Math.Min(best, previous[j - 1]);
                }

                current[j] = best;
            }

            (previous, current) = (current, previous);
        }

        var end = 0;
        for (var j = 1; j <= width; j++)
        {
            if (previous[j] < previous[end])
            {
                end = j;
            }
        }

        return end;
    }
}
