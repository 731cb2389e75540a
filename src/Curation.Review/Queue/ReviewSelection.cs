using Curation.Review.Decisions;

namespace Curation.Review.Queue;

/// <summary>Several selectors over one pass: a record chosen by more than one appears once, with the first reason.</summary>
public sealed class ReviewSelection(IReadOnlyList<ReviewSelector> selectors, string scoreField)
{
    public string Describe() => string.Join("; ", selectors.Select(s => s.Describe()));

    public void Offer(ReviewCandidate candidate)
    {
        foreach (var selector in selectors)
        {
            selector.Offer(candidate);
        }
    }

    public IReadOnlyList<ReviewItem> Items()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var chosen = new List<(ReviewCandidate Candidate, string Reason)>();
        foreach (var selector in selectors)
        {
            chosen.AddRange(selector.Selected().Where(item => seen.Add(item.Candidate.Record.Id)));
        }

        return [.. chosen.OrderBy(c => c.Candidate.Order).Select(c => new ReviewItem(
            c.Candidate.Record,
            c.Reason,
            c.Candidate.Reject is null ? Verdict.Accept : Verdict.Reject,
            c.Candidate.Score(scoreField),
            c.Candidate.Stage))];
    }
}
