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

    /// <summary>Every candidate a selector holds, once each, in input order: what a selection built from parts is offered again.</summary>
    internal IReadOnlyList<ReviewCandidate> Held() =>
        [.. selectors.SelectMany(selector => selector.Held()).DistinctBy(candidate => candidate.Order).OrderBy(candidate => candidate.Order)];

    /// <summary>Offers every selector a candidate another selection held (<see cref="ReviewSelector.Restore"/>), counting nothing.</summary>
    internal void Restore(ReviewCandidate candidate)
    {
        foreach (var selector in selectors)
        {
            selector.Restore(candidate);
        }
    }

    /// <summary>What each selector was offered, by what it counts them by, in the order of the selectors.</summary>
    internal IReadOnlyList<IReadOnlyDictionary<string, long>> Offered() => [.. selectors.Select(selector => selector.Offered())];

    /// <summary>Adds what another selection's selectors were offered (<see cref="Offered"/>).</summary>
    internal void AddOffered(IReadOnlyList<IReadOnlyDictionary<string, long>> offered)
    {
        if (offered.Count != selectors.Count)
        {
            throw new ArgumentException($"counts of {offered.Count} selectors for a selection of {selectors.Count}", nameof(offered));
        }

        for (var i = 0; i < selectors.Count; i++)
        {
            selectors[i].AddOffered(offered[i]);
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
