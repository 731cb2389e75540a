namespace Curation.Dedup.MinHash;

/// <summary>What a <see cref="Shingler"/> counts its n-grams in.</summary>
public enum ShingleUnit
{
    /// <summary>Whitespace-separated words, joined by single spaces whatever whitespace separated them.</summary>
    Word,

    /// <summary>Unicode scalar values (a surrogate pair counts as one), whitespace included as it is.</summary>
    Character,
}
