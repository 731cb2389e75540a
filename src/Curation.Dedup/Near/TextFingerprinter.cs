using System.Buffers;
using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near;

/// <summary>
/// What near-dedup compares of a text: its shingle set (sorted hashes of the simplified text's n-grams) and its LSH
/// band keys, made with the settings an index is saved with, so that text fingerprinted outside a run (an evaluation
/// item checked for leakage) meets an index exactly as the <c>against</c> option does.
/// </summary>
public sealed class TextFingerprinter
{
    private readonly TextSimplifier _simplifier;
    private readonly Shingler _shingler;
    private readonly MinHashSigner _signer;
    private readonly BandHasher _bands;

    public TextFingerprinter(DedupIndexSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _simplifier = new TextSimplifier(new SimplifyOptions
        {
            Lowercase = settings.Lowercase,
            StripPunctuation = settings.StripPunctuation,
            PunctuationAsSpace = settings.PunctuationAsSpace,
            FoldDigits = settings.FoldDigits,
            StripDiacritics = settings.StripDiacritics,
            CollapseWhitespace = true,
        });
        _shingler = settings.CharNgram > 0 ? new Shingler(settings.CharNgram, ShingleUnit.Character) : new Shingler(settings.Ngram, ShingleUnit.Word);
        _signer = new MinHashSigner(settings.NumPerm, settings.Seed);
        _bands = new BandHasher(new LshParameters(settings.Bands, settings.Rows));
    }

    public DedupIndexSettings Settings { get; }

    /// <summary>The text near-dedup fingerprints for a conversation: each turn's content followed by a line break.</summary>
    public static string Join(IEnumerable<string> contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return string.Concat(contents.Select(content => content + "\n"));
    }

    /// <summary>The shingle set (sorted, distinct) and band keys of <paramref name="text"/> as given by <see cref="Join"/>.</summary>
    public (ulong[] Shingles, ulong[] BandKeys) Fingerprint(ReadOnlySpan<char> text)
    {
        var simplified = ArrayPool<char>.Shared.Rent(Math.Max(text.Length, 1));
        try
        {
            var length = _simplifier.Simplify(text, simplified);
            var shingles = _shingler.Shingle(simplified.AsSpan(0, length));
            return (shingles, _bands.Hash(_signer.Sign(shingles)));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(simplified);
        }
    }
}
