using System.Globalization;

namespace Curation.Review.Queue;

/// <summary>Records whose quality score lies within <c>margin</c> of the cut, closest first, at most <c>size</c>.</summary>
public sealed class ScoreBandSelector(string scoreField, double cut, double margin, int size, long seed) : ReviewSelector
{
    private readonly BottomK<(ReviewCandidate Candidate, double Score)> _closest = new(size);

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"{scoreField} within {margin} of {cut}, at most {size}");

    public override void Offer(ReviewCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Score(scoreField) is { } score && Math.Abs(score - cut) <= margin)
        {
            _closest.Offer(Math.Abs(score - cut), Priority(seed, candidate.Record.Id), (candidate, score));
        }
    }

    internal override IEnumerable<ReviewCandidate> Held() => _closest.Values.Select(item => item.Candidate);

    public override IReadOnlyList<(ReviewCandidate Candidate, string Reason)> Selected() =>
        [.. _closest.Values
            .OrderBy(item => item.Candidate.Order)
            .Select(item => (item.Candidate, string.Create(CultureInfo.InvariantCulture, $"{scoreField} {item.Score:0.0000} near the cut {cut}")))];
}
