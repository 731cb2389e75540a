namespace Curation.Dedup.Near;

/// <summary>What near-dedup does with the members of a cluster that are not kept (or with records that match the <c>against</c> index).</summary>
public enum NearDedupAction
{
    /// <summary>Reject them as <c>near-duplicate</c>.</summary>
    Drop,

    /// <summary>Keep them, naming in their metadata the record they near-duplicate, so that a later stage can group by cluster.</summary>
    Mark,
}
