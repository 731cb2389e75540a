namespace Curation.Dedup.MinHash;

/// <summary>The instruction widths <see cref="MinHashSigner"/> can compute with; every path gives the same signature.</summary>
internal enum SigningPath
{
    Scalar,
    Vector256,
    Vector512,
}
