namespace Curation.Dedup.Near;

/// <summary>Each document's compared shingle set (<see cref="MinHash.ComparedShingles"/>), read by document index: from one process's store or from every shard's files.</summary>
internal interface IShingleSets
{
    /// <summary>How many values the compared shingle set of document <paramref name="document"/> has.</summary>
    int ShingleCount(int document);

    /// <summary>Reads the shingle set of <paramref name="document"/> into <paramref name="destination"/>, which holds exactly <see cref="ShingleCount"/>; safe from several threads.</summary>
    void ReadShingles(int document, Span<uint> destination);
}

/// <summary>Each document's id and source (as text), read by document index.</summary>
internal interface IDocumentLabels
{
    string Id(int document);

    (string Id, string Source) Label(int document);
}
