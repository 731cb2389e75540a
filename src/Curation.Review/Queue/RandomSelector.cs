using System.Globalization;

namespace Curation.Review.Queue;

/// <summary>How a random sample is spread over the run's records.</summary>
public enum Stratify
{
    /// <summary>One sample over everything.</summary>
    None,

    /// <summary>Each input file gets a share in proportion to its records.</summary>
    Source,

    /// <summary>Kept records and the rejects of each stage get a share in proportion to their counts.</summary>
    Stage,
}

/// <summary>
/// A seeded random sample of <c>size</c> records (bottom-k of a hash of seed and id). Stratified, each stratum gets a
/// share in proportion to its size by largest remainder, and at least one record while the size allows.
/// </summary>
public sealed class RandomSelector(int size, Stratify stratify, long seed, bool includeRejects = true) : ReviewSelector
{
    private readonly SortedDictionary<string, Stratum> _strata = new(StringComparer.Ordinal);

    public override string Describe() => string.Create(
        CultureInfo.InvariantCulture, $"random {size}{(stratify == Stratify.None ? string.Empty : $" by {stratify.ToString().ToLowerInvariant()}")}, seed {seed}");

    public override void Offer(ReviewCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Reject is not null && !includeRejects)
        {
            return;
        }

        var stratum = StratumOf(candidate);
        stratum.Offered++;
        stratum.Sample.Offer(Priority(seed, candidate.Record.Id), 0, candidate);
    }

    internal override IEnumerable<ReviewCandidate> Held() => _strata.Values.SelectMany(stratum => stratum.Sample.Values);

    internal override void Restore(ReviewCandidate candidate)
    {
        if (candidate.Reject is not null && !includeRejects)
        {
            return;
        }

        StratumOf(candidate).Sample.Offer(Priority(seed, candidate.Record.Id), 0, candidate);
    }

    internal override IReadOnlyDictionary<string, long> Offered() => _strata.ToDictionary(pair => pair.Key, pair => pair.Value.Offered, StringComparer.Ordinal);

    internal override void AddOffered(IReadOnlyDictionary<string, long> offered)
    {
        foreach (var (key, count) in offered)
        {
            StratumOf(key).Offered += count;
        }
    }

    public override IReadOnlyList<(ReviewCandidate Candidate, string Reason)> Selected()
    {
        var shares = Allocate();
        var chosen = new List<(ReviewCandidate, string)>();
        foreach (var (key, stratum) in _strata)
        {
            var reason = stratify == Stratify.None ? "random sample" : $"random sample of {stratify.ToString().ToLowerInvariant()} {key}";
            chosen.AddRange(stratum.Sample.Values.Take(shares[key]).Select(candidate => (candidate, reason)));
        }

        return [.. chosen.OrderBy(item => item.Item1.Order)];
    }

    private Stratum StratumOf(ReviewCandidate candidate) => StratumOf(stratify switch
    {
        Stratify.Source => candidate.Record.Source.File,
        Stratify.Stage => candidate.Stage,
        _ => string.Empty,
    });

    private Stratum StratumOf(string key)
    {
        if (!_strata.TryGetValue(key, out var stratum))
        {
            stratum = new Stratum(new BottomK<ReviewCandidate>(size));
            _strata.Add(key, stratum);
        }

        return stratum;
    }

    private Dictionary<string, int> Allocate()
    {
        var total = _strata.Values.Sum(s => s.Offered);
        var shares = _strata.ToDictionary(s => s.Key, _ => 0, StringComparer.Ordinal);
        if (total == 0)
        {
            return shares;
        }

        var budget = (int)Math.Min(size, total);
        if (budget >= _strata.Count)
        {
            foreach (var key in _strata.Keys)
            {
                shares[key] = 1;
            }

            budget -= _strata.Count;
        }

        // Largest remainder over what is left, capped by each stratum's size; ties by name, so the result is fixed.
        var room = _strata.ToDictionary(s => s.Key, s => s.Value.Offered - shares[s.Key], StringComparer.Ordinal);
        var remaining = room.Values.Sum();
        var exact = room.Select(r => (r.Key, Share: remaining == 0 ? 0 : (double)budget * r.Value / remaining)).ToList();
        foreach (var (key, share) in exact)
        {
            shares[key] += (int)Math.Floor(share);
        }

        var left = budget - exact.Sum(e => (int)Math.Floor(e.Share));
        foreach (var (key, _) in exact.OrderByDescending(e => e.Share - Math.Floor(e.Share)).ThenBy(e => e.Key, StringComparer.Ordinal))
        {
            if (left == 0)
            {
                break;
            }

            if (shares[key] < _strata[key].Offered)
            {
                shares[key]++;
                left--;
            }
        }

        return shares;
    }

    private sealed class Stratum(BottomK<ReviewCandidate> sample)
    {
        public BottomK<ReviewCandidate> Sample { get; } = sample;

        public long Offered { get; set; }
    }
}
