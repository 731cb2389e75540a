namespace Curation.Dedup.Near;

/// <summary>
/// What <c>keep</c> ranks cluster members by, per document: the content length for <c>longest</c>, the field's value
/// for <c>field</c>, nothing for <c>first</c> (input order decides).
/// </summary>
internal sealed class RankingFacts(KeepPolicy policy)
{
    private readonly ChunkedList<int>? _lengths = policy == KeepPolicy.Longest ? new() : null;

    // NaN stands for a record without the field: JSON numbers are never NaN.
    private readonly ChunkedList<double>? _ranks = policy == KeepPolicy.Field ? new() : null;

    public void Add(int contentLength, double? rank)
    {
        _lengths?.Add(contentLength);
        _ranks?.Add(rank ?? double.NaN);
    }

    /// <summary>Whether <paramref name="later"/> should be kept over <paramref name="current"/>.</summary>
    public bool Prefer(int later, int current) => policy switch
    {
        KeepPolicy.Longest => _lengths![later] > _lengths[current],
        KeepPolicy.Field => !double.IsNaN(_ranks![later]) && (double.IsNaN(_ranks[current]) || _ranks[later] > _ranks[current]),
        _ => false,
    };
}
