using System.Text.Json;
using Curation.Core.Records;

namespace Curation.Core.Stages;

/// <summary>
/// A stream stage that passes every envelope on unchanged, keeps some of them (a seeded sample, the first ones of a
/// kind) and, once the input ends, writes files of its own from what it kept (a review export). What it keeps is the
/// same whether it was offered the whole input or parts of it one after another, each reduced to what it kept: so
/// shard tasks each offer their own shard and save what they keep, and the merge adds every task's part, in shard
/// order, into an instance that has seen nothing and finishes that one once, as one process finishes its own.
/// </summary>
public interface ICollectingStage : IStreamStage
{
    /// <summary>Takes note of envelopes on their way through, in input order; they go on unchanged.</summary>
    void Offer(ReadOnlySpan<Envelope> envelopes);

    /// <summary>What it keeps so far: the envelopes, in input order, and figures of everything it was offered that add up (counts).</summary>
    CollectedPart Save();

    /// <summary>Adds a part that another instance saved, as though its envelopes came next in the input.</summary>
    /// <exception cref="CurationException">The figures are not this stage's.</exception>
    void Add(CollectedPart part);

    /// <summary>Writes its files through <see cref="StageContext.Outputs"/> and adds its notes, from all it was offered or added.</summary>
    void Finish(StageContext context);
}

/// <summary>What a <see cref="ICollectingStage"/> kept of part of the input: envelopes in input order, and its figures.</summary>
public sealed class CollectedPart(IReadOnlyList<Envelope> envelopes, JsonElement figures)
{
    public IReadOnlyList<Envelope> Envelopes { get; } = envelopes;

    public JsonElement Figures { get; } = figures;
}
