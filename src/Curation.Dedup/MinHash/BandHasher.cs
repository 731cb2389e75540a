using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Curation.Dedup.MinHash;

/// <summary>
/// Reduces each band of a signature (its <see cref="LshParameters.Rows"/> consecutive values) to one 64-bit key:
/// the XxHash3 of the band's bytes, seeded with the band's index so equal values in different bands give different keys.
/// </summary>
public sealed class BandHasher
{
    public BandHasher(LshParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
    }

    public LshParameters Parameters { get; }

    /// <exception cref="ArgumentException"><paramref name="signature"/> is shorter than the bands need.</exception>
    public ulong[] Hash(ReadOnlySpan<uint> signature)
    {
        var keys = new ulong[Parameters.Bands];
        Hash(signature, keys);
        return keys;
    }

    /// <summary>Writes one key per band to <paramref name="keys"/>.</summary>
    /// <exception cref="ArgumentException">A span is shorter than the bands need.</exception>
    public void Hash(ReadOnlySpan<uint> signature, Span<ulong> keys)
    {
        var (bands, rows) = (Parameters.Bands, Parameters.Rows);
        if (signature.Length < Parameters.PermutationsUsed)
        {
            throw new ArgumentException($"{bands} bands × {rows} rows need {Parameters.PermutationsUsed} values, has {signature.Length}", nameof(signature));
        }

        if (keys.Length < bands)
        {
            throw new ArgumentException($"needs room for {bands} keys, has {keys.Length}", nameof(keys));
        }

        for (var band = 0; band < bands; band++)
        {
            keys[band] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(signature.Slice(band * rows, rows)), band);
        }
    }
}
