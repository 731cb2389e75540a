namespace Curation.Dedup.Near;

/// <summary>Everything that must match for two runs' signatures and band keys to be comparable.</summary>
public sealed record DedupIndexSettings(
    int NumPerm, long Seed, int Bands, int Rows, int Ngram, int CharNgram, bool Lowercase, bool StripPunctuation, bool FoldDigits, bool StripDiacritics)
{
    /// <summary>Punctuation replaced by a space rather than deleted (indexes of format 1 predate it: false).</summary>
    public bool PunctuationAsSpace { get; init; }

    /// <summary>The first setting that differs, as "name index-value vs stage-value", or null when all match.</summary>
    public string? FirstDifference(DedupIndexSettings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        (string Name, object A, object B)[] fields =
        [
            ("num_perm", NumPerm, other.NumPerm), ("seed", Seed, other.Seed), ("bands", Bands, other.Bands), ("rows", Rows, other.Rows),
            ("ngram", Ngram, other.Ngram), ("char_ngram", CharNgram, other.CharNgram), ("lowercase", Lowercase, other.Lowercase),
            ("strip_punctuation", StripPunctuation, other.StripPunctuation), ("fold_digits", FoldDigits, other.FoldDigits),
            ("strip_diacritics", StripDiacritics, other.StripDiacritics), ("punctuation_as_space", PunctuationAsSpace, other.PunctuationAsSpace),
        ];
        return fields.FirstOrDefault(f => !f.A.Equals(f.B)) is { Name: not null } difference
            ? $"{difference.Name} {difference.A} in the index, {difference.B} here"
            : null;
    }
}
