using System.Globalization;
using Curation.Core;
using Curation.Core.Records;

namespace Curation.Review.Queue;

/// <summary>
/// Near-duplicate pairs from a run's clusters file whose Jaccard similarity lies within a margin of the threshold:
/// the pairs the stage was least sure of. Each pair is the member the cluster kept and one it dropped, closest to the
/// threshold first, at most <c>size</c>.
/// </summary>
public sealed class NearDuplicatePairs(double threshold, double margin, int size, long seed)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"near-duplicate pairs with Jaccard within {margin} of {threshold}, at most {size}, seed {seed}");

    public async Task<IReadOnlyList<ReviewPair>> SelectAsync(RunOutput run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var closest = new BottomK<(string Kept, string Dropped, double Jaccard)>(size);
        foreach (var cluster in run.Clusters().GroupBy(m => m.ClusterId))
        {
            var kept = cluster.FirstOrDefault(m => m.Kept);
            if (kept is null)
            {
                continue;
            }

            foreach (var member in cluster.Where(m => !m.Kept && Math.Abs(m.Jaccard - threshold) <= margin))
            {
                var key = $"{kept.Id}\n{member.Id}";
                closest.Offer(Math.Abs(member.Jaccard - threshold), System.IO.Hashing.XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(key), seed), (kept.Id, member.Id, member.Jaccard));
            }
        }

        var chosen = closest.Values.ToList();
        var wanted = chosen.SelectMany(p => new[] { p.Kept, p.Dropped }).ToHashSet(StringComparer.Ordinal);
        var records = new Dictionary<string, (ChatRecord Record, long Order)>(StringComparer.Ordinal);
        await foreach (var candidate in run.ReadAsync(cancellationToken))
        {
            if (wanted.Contains(candidate.Record.Id))
            {
                records.TryAdd(candidate.Record.Id, (candidate.Record, candidate.Order));
            }
        }

        return [.. chosen
            .Select(p => (Pair: p, Left: Find(records, p.Kept, run), Right: Find(records, p.Dropped, run)))
            .OrderBy(p => p.Right.Order)
            .Select(p => new ReviewPair(p.Left.Record, p.Right.Record, p.Pair.Jaccard, string.Create(CultureInfo.InvariantCulture, $"Jaccard {p.Pair.Jaccard:0.000} near the threshold {threshold}")))];
    }

    private static (ChatRecord Record, long Order) Find(Dictionary<string, (ChatRecord Record, long Order)> records, string id, RunOutput run) =>
        records.TryGetValue(id, out var found)
            ? found
            : throw new CurationException($"{run.Folder}: record '{id}' is in the clusters file but neither in the data nor in the rejects: are these files from one run?");
}
