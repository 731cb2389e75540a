namespace Curation.Dedup.Near;

/// <summary>What the near-dedup stage keeps of one record between its passes: band keys, shingles, ranking facts.</summary>
internal sealed record DocumentFingerprint(ulong[] Shingles, ulong[] BandKeys, int ContentLength, double? Rank);
