namespace Curation.Splits;

/// <summary>How one stratum's records are shared among the splits: exact counts first, then groups in hash order.</summary>
internal static class SplitAllocation
{
    /// <summary>
    /// Largest-remainder apportionment of <paramref name="total"/> records: each split gets the floor of its quota,
    /// and the records left over go one each to the largest remainders (ties: the split named first).
    /// </summary>
    public static long[] Targets(long total, IReadOnlyList<decimal> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var targets = new long[shares.Count];
        var remainders = new decimal[shares.Count];
        var given = 0L;
        for (var i = 0; i < shares.Count; i++)
        {
            var quota = total * shares[i];
            targets[i] = (long)decimal.Floor(quota);
            remainders[i] = quota - targets[i];
            given += targets[i];
        }

        var extra = (int)(total - given);
        foreach (var i in Enumerable.Range(0, shares.Count).Where(i => shares[i] > 0).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(extra))
        {
            targets[i]++;
        }

        return targets;
    }

    /// <summary>
    /// The split of each group, given the groups' sizes in the order they are dealt (their hash order): the records
    /// are laid end to end and cut at the targets, and a group goes where its middle falls. Groups of one record thus
    /// meet the targets exactly; a larger group moves a cut by at most half its size.
    /// </summary>
    public static int[] Assign(IReadOnlyList<int> sizes, IReadOnlyList<long> targets)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(targets);
        var cuts = new long[targets.Count];
        var sum = 0L;
        for (var i = 0; i < targets.Count; i++)
        {
            sum += targets[i];
            cuts[i] = sum;
        }

        var splits = new int[sizes.Count];
        var position = 0L;
        var split = 0;
        for (var group = 0; group < sizes.Count; group++)
        {
            // Twice the middle, so that it stays an integer.
            var middle = (2 * position) + sizes[group];
            while (split < targets.Count - 1 && middle >= 2 * cuts[split])
            {
                split++;
            }

            splits[group] = split;
            position += sizes[group];
        }

        return splits;
    }
}
