namespace Curation.Dedup.Near;

/// <summary>Which member of a near-duplicate cluster survives.</summary>
public enum KeepPolicy
{
    /// <summary>The first in input order.</summary>
    First,

    /// <summary>The one with the most content characters (ties: the first).</summary>
    Longest,

    /// <summary>The one with the highest numeric metadata value under <c>keep_field</c> (ties and missing values: the first).</summary>
    Field,
}
