namespace Curation.Dedup.MinHash;

/// <summary>Two documents that share an LSH bucket; <see cref="First"/> is the smaller index.</summary>
public readonly record struct CandidatePair(int First, int Second);
