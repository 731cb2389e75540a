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
    private const int StackSignature = 1024;

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
        var shingles = ArrayPool<ulong>.Shared.Rent(MaxShingles(text.Length));
        try
        {
            var bandKeys = new ulong[Settings.Bands];
            var count = Fingerprint(text, bandKeys, shingles);
            return (shingles.AsSpan(0, count).ToArray(), bandKeys);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(shingles);
        }
    }

    /// <summary>The most shingles a text of <paramref name="textLength"/> chars can have.</summary>
    internal static int MaxShingles(int textLength) => Shingler.MaxShingles(textLength);

    /// <summary>
    /// Writes the band keys of <paramref name="text"/> to <paramref name="bandKeys"/> (one per band) and its shingle set
    /// to the start of <paramref name="shingles"/> (room for <see cref="MaxShingles"/>); returns the set's size.
    /// </summary>
    internal int Fingerprint(ReadOnlySpan<char> text, Span<ulong> bandKeys, Span<ulong> shingles)
    {
        var simplified = ArrayPool<char>.Shared.Rent(Math.Max(text.Length, 1));
        var rentedSignature = Settings.NumPerm > StackSignature ? ArrayPool<uint>.Shared.Rent(Settings.NumPerm) : null;
        try
        {
            var length = _simplifier.Simplify(text, simplified);
            var count = _shingler.Shingle(simplified.AsSpan(0, length), shingles);
            var signature = rentedSignature is null ? stackalloc uint[Settings.NumPerm] : rentedSignature.AsSpan(0, Settings.NumPerm);
            _signer.Sign(shingles[..count], signature);
            _bands.Hash(signature, bandKeys);
            return count;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(simplified);
            if (rentedSignature is not null)
            {
                ArrayPool<uint>.Shared.Return(rentedSignature);
            }
        }
    }
}
