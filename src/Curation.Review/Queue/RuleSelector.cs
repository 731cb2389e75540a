using System.Globalization;

namespace Curation.Review.Queue;

/// <summary>Rejects of the named rules or stages: all of them, or a seeded random <c>size</c> of them.</summary>
public sealed class RuleSelector(IReadOnlyCollection<string> rules, int size, long seed) : ReviewSelector
{
    private readonly BottomK<ReviewCandidate> _sample = new(size);

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"rejects of {string.Join(", ", rules)}, at most {size}, seed {seed}");

    public override void Offer(ReviewCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Reject is { } reject && (rules.Contains(reject.Rule) || rules.Contains(reject.Stage)))
        {
            _sample.Offer(Priority(seed, candidate.Record.Id), 0, candidate);
        }
    }

    internal override IEnumerable<ReviewCandidate> Held() => _sample.Values;

    public override IReadOnlyList<(ReviewCandidate Candidate, string Reason)> Selected() =>
        [.. _sample.Values.OrderBy(c => c.Order).Select(c => (c, $"{c.Reject!.Stage} rejected it: {c.Reject.Rule}: {c.Reject.Detail}"))];
}
