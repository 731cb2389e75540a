using System.Collections.Immutable;

namespace Curation.Review.Decisions;

/// <summary>What one review export sent to reviewers: single records or pairs of near-duplicates.</summary>
public enum ReviewKind
{
    Records,
    Pairs,
}

/// <summary>One review export as the store remembers it: its id, what was selected and which records it holds.</summary>
public sealed record ReviewBatch(string Id, ReviewKind Kind, string Tool, string Selection, ImmutableArray<string> RecordIds);
