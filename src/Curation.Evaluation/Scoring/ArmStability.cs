using Curation.Evaluation.Metrics;

namespace Curation.Evaluation.Scoring;

/// <summary>
/// How consistently an arm answered one item over its repeats: of the <paramref name="Answers"/> repeats that did not
/// fail, how many gave the majority answer. Answers agree when they are equal in lower case without ASCII punctuation
/// and with whitespace collapsed (<see cref="SquadText.NormalizeKeepingArticles"/>: "Paris." and "paris" agree, "A" and
/// "B" do not); the majority answer is the most frequent in that form (on a tie, the first in ordinal order).
/// </summary>
internal sealed record ItemStability(string ItemId, int Answers, int Agreeing, string MajorityAnswer)
{
    public double Share => (double)Agreeing / Answers;
}

/// <summary>
/// The stability of an arm asked each item <paramref name="Repeats"/> times: per item with at least two answers, and
/// <paramref name="MeanShare"/> the mean of the items' shares (null when no item has two answers).
/// </summary>
internal sealed record ArmStability(string Arm, int Repeats, double? MeanShare, IReadOnlyList<ItemStability> Items)
{
    /// <summary>The stability of every arm with more than one repeat, arms in <paramref name="armOrder"/> then by name, items by id.</summary>
    /// <exception cref="ArgumentException">Two answers for one arm, item and repeat.</exception>
    public static List<ArmStability> Of(IEnumerable<AnswerRow> answers, IReadOnlyList<string> armOrder)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var byArm = new Dictionary<string, Dictionary<string, SortedDictionary<int, string?>>>(StringComparer.Ordinal);
        foreach (var answer in answers)
        {
            if (!byArm.TryGetValue(answer.Arm, out var items))
            {
                byArm[answer.Arm] = items = new Dictionary<string, SortedDictionary<int, string?>>(StringComparer.Ordinal);
            }

            if (!items.TryGetValue(answer.ItemId, out var repeats))
            {
                items[answer.ItemId] = repeats = [];
            }

            if (!repeats.TryAdd(answer.Repeat, answer.Text))
            {
                throw new ArgumentException($"two answers of arm {answer.Arm}, item {answer.ItemId}, repeat {answer.Repeat}");
            }
        }

        var stabilities = new List<ArmStability>();
        foreach (var arm in Scoreboard.Ordered(byArm.Keys, armOrder))
        {
            var items = byArm[arm];
            var repeatCount = items.Values.SelectMany(r => r.Keys).Distinct().Count();
            if (repeatCount < 2)
            {
                continue;
            }

            var perItem = items.OrderBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => OfItem(i.Key, i.Value))
                .OfType<ItemStability>()
                .ToList();
            double? mean = perItem.Count == 0 ? null : perItem.Sum(i => i.Share) / perItem.Count;
            stabilities.Add(new ArmStability(arm, repeatCount, mean, perItem));
        }

        return stabilities;
    }

    private static ItemStability? OfItem(string itemId, SortedDictionary<int, string?> repeats)
    {
        var answered = repeats.Values.OfType<string>().Select(SquadText.NormalizeKeepingArticles).ToList();
        if (answered.Count < 2)
        {
            return null;
        }

        var majority = answered.GroupBy(a => a, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .First();
        return new ItemStability(itemId, answered.Count, majority.Count(), majority.Key);
    }
}
