using Curation.Core.Records;
using Curation.Review.Decisions;

namespace Curation.Review.Queue;

/// <summary>One record for reviewers, with why it was chosen and what the pipeline suggests.</summary>
/// <param name="Suggested">Accept when the run kept the record, reject when it dropped it.</param>
/// <param name="Score">The pipeline's confidence in its suggestion (a quality score), when it has one.</param>
public sealed record ReviewItem(ChatRecord Record, string Reason, Verdict Suggested, double? Score, string Stage);

/// <summary>Two records the near-duplicate stage judged the same: the one it kept (left) and one it dropped (right).</summary>
public sealed record ReviewPair(ChatRecord Left, ChatRecord Right, double Jaccard, string Reason);
