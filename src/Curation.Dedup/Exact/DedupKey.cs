namespace Curation.Dedup.Exact;

/// <summary>What two records must share to count as exact duplicates.</summary>
public enum DedupKey
{
    /// <summary>Every turn: roles and contents, in order.</summary>
    Conversation,

    /// <summary>Everything before the last assistant turn (system prompt, user turns, earlier answers).</summary>
    Prompt,

    /// <summary>The last assistant turn only.</summary>
    Response,

    /// <summary>The metadata fields listed under <c>fields</c> (e.g. a source URL or an upstream id).</summary>
    Fields,
}
