namespace Curation.Dedup.MinHash;

/// <summary>
/// What <see cref="TextSimplifier"/> does to text before it is shingled. The defaults make texts that differ only in
/// case, punctuation, accents or spacing look the same; digits are kept, since numbers often carry the meaning.
/// </summary>
public sealed record SimplifyOptions
{
    /// <summary>Map each character to lower case (invariant culture). Default <c>true</c>.</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>
    /// Remove punctuation and symbol characters (Unicode categories P* and S*): replaced by a space (see
    /// <see cref="PunctuationAsSpace"/>) or deleted. Default <c>true</c>.
    /// </summary>
    public bool StripPunctuation { get; init; } = true;

    /// <summary>
    /// With <see cref="StripPunctuation"/>: replace punctuation and symbols by a space instead of deleting them, so
    /// words they join ("end.Next", "foo/bar", "--force") stay apart, as a split on non-word characters does.
    /// Deleting them instead makes "don't" and "dont" match but joins words, which lowers the similarity of real
    /// near-copies. Default <c>true</c>, chosen by the accuracy benchmark (benchmarks/dedup-accuracy.md).
    /// </summary>
    public bool PunctuationAsSpace { get; init; } = true;

    /// <summary>Replace every decimal digit with '0', so texts that differ only in their numbers match. Default <c>false</c>.</summary>
    public bool FoldDigits { get; init; }

    /// <summary>
    /// Remove accents: combining marks U+0300–U+036F are deleted, and the precomposed letters of Latin-1 and Latin
    /// Extended-A map to their base letter (é → e, Ő → O). Letters that have no canonical decomposition stay (ø, ł, æ).
    /// Default <c>true</c>.
    /// </summary>
    public bool StripDiacritics { get; init; } = true;

    /// <summary>Replace each run of whitespace with one space and trim both ends. Default <c>true</c>.</summary>
    public bool CollapseWhitespace { get; init; } = true;
}
