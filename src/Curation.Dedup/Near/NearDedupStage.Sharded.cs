using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Dedup.MinHash;
using Curation.Dedup.Near.Sharded;

namespace Curation.Dedup.Near;

/// <summary>
/// The stage in a sharded run: the tasks before it write fingerprints (<see cref="ShardFingerprintWriter"/>), a pairs
/// step's tasks find and verify the candidate pairs of their band partitions (<see cref="FindPairs"/>), one clusters
/// step joins them and decides as the stage does in one process (<see cref="ResolveShardsAsync"/>), and the tasks
/// after apply each shard's decisions (<see cref="Apply"/>) with the same code that writes the stage's rejects and
/// metadata here.
/// </summary>
internal sealed partial class NearDedupStage
{
    /// <summary>Whether the stage's decisions follow from its documents' fingerprints alone: no <c>against</c> index to match, no index to save.</summary>
    internal bool ResolvesFromFingerprints => _against is null && _saveIndexPath is null;

    internal int Bands => _lsh.Bands;

    internal long? MemoryBudgetBytes => _options.MemoryBudgetBytes;

    /// <summary>A record (the next document of its shard) as the stage decides it, given the cluster step's decision for it (null: in no cluster).</summary>
    internal Envelope Apply(long sequence, ChatRecord record, ClusterDecision? decision)
    {
        ArgumentNullException.ThrowIfNull(record);
        return decision switch
        {
            null => Decide(sequence, record, null, 1, ClusterMetadata.Id(record.Id)),
            { IsKept: true } kept => Decide(sequence, record, null, kept.Size, ClusterMetadata.Id(record.Id)),
            { } dropped => Decide(sequence, record, NearDuplicate.InCluster(dropped.KeptId!, dropped.KeptSource!, dropped.Jaccard), dropped.Size, ClusterMetadata.Id(dropped.KeptId!)),
        };
    }

    /// <summary>
    /// Pairs task <paramref name="task"/> of <paramref name="tasks"/>: every shard's documents numbered as one process
    /// numbers them, the candidate pairs of the bands of its partitions merged band by band from the shards' sorted
    /// band files (the buckets of one index), verified and joined as <see cref="ClusterPlan"/> does; the pairs that
    /// joined two clusters and its counts go to its pairs file.
    /// </summary>
    /// <param name="excluded">Per shard, the sequences of records an earlier stage resolved across shards rejects first.</param>
    /// <exception cref="Core.CurationException">A shard's fingerprints are missing or cut short.</exception>
    internal PairCounts FindPairs(
        FingerprintExchange exchange, IReadOnlyList<IReadOnlySet<long>> excluded, int task, int tasks, int workers, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(task);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(task, tasks);
        var started = time.GetTimestamp();
        using var documents = ShardedFingerprints.Load(exchange, excluded, _options.Keep);
        var counts = default(PairCounts);
        SpanningPairsFile.Write(exchange.PairsFile(task), joined =>
        {
            var (found, compared) = ClusterPlan.SpanningPairs(
                documents.Count,
                LshIndex.CandidatePairsOf(exchange.BandsOf(task, tasks), documents.OpenBand, null, cancellationToken),
                new PairSimilarity(documents, workers, cancellationToken),
                _options.Verify ? _options.Threshold : null,
                joined);
            return counts = new PairCounts(found, compared, time.GetElapsedTime(started).TotalSeconds);
        });
        return counts;
    }

    /// <summary>
    /// The clusters step: every shard's documents numbered as one process numbers them, the pairs every pairs task
    /// kept joined and decided by <see cref="ClusterPlan"/> (no threshold: they are verified) as in one process; then
    /// each shard's decisions, the clusters file (through <paramref name="outputs"/>) and, last, the stage's notes.
    /// </summary>
    /// <param name="excluded">Per shard, the sequences of records an earlier stage resolved across shards rejects first.</param>
    /// <param name="pairTasks">The tasks of the pairs step, whose pairs files are read.</param>
    /// <exception cref="Core.CurationException">A shard's fingerprints or a task's pairs are missing or cut short.</exception>
    internal async Task ResolveShardsAsync(
        FingerprintExchange exchange, IReadOnlyList<IReadOnlySet<long>> excluded, int pairTasks, int workers, RunOutputs outputs, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(time);
        File.Delete(exchange.NotesFile);
        var started = time.GetTimestamp();
        using var documents = ShardedFingerprints.Load(exchange, excluded, _options.Keep);
        var notes = new List<string> { Describe() };
        var summaries = documents.Summaries;
        if (summaries.Sum(summary => summary.SpilledRuns) is var runs and > 0)
        {
            notes.Add(SpillNote(runs, summaries.Sum(summary => summary.SpilledBytes)));
        }

        var files = Enumerable.Range(0, pairTasks).Select(exchange.PairsFile).ToList();
        var counts = files.Select(SpanningPairsFile.ReadCounts).ToList();

        // The clusters are the connected components of the verified pairs, in whatever order they come: each task's
        // pairs are a spanning forest of the duplicate pairs it found, so their union has the components of all of them.
        var plan = ClusterPlan.Build(
            documents.Count,
            files.SelectMany(SpanningPairsFile.ReadPairs),
            new PairSimilarity(documents, workers, cancellationToken),
            threshold: null,
            documents.Ranking.Prefer);
        notes.Add(ClusteringNote(
            documents.Count,
            counts.Sum(count => count.Found),
            counts.Sum(count => count.Compared),
            plan,
            TimeSpan.FromSeconds(summaries.Sum(summary => summary.SigningSeconds)),
            TimeSpan.FromSeconds(counts.Sum(count => count.Seconds)) + time.GetElapsedTime(started)));

        var perShard = Enumerable.Range(0, exchange.Shards).Select(shard => 0).ToArray();
        for (var document = 0; document < documents.Count; document++)
        {
            perShard[documents.ShardOf(document)]++;
        }

        using (var decisions = new ClusterDecisions.Writer(exchange, perShard))
        {
            for (var document = 0; document < documents.Count; document++)
            {
                if (plan.ClusterSizeOf(document) < 2)
                {
                    continue;
                }

                var kept = plan.KeptMemberOf(document);
                var decision = kept == document
                    ? new ClusterDecision(plan.ClusterSizeOf(document), null, null, 1.0)
                    : documents.Label(kept) is var (keptId, keptSource)
                        ? new ClusterDecision(plan.ClusterSizeOf(document), keptId, keptSource, plan.SimilarityToKept(document))
                        : default;
                decisions.Add(documents.ShardOf(document), documents.LocalOf(document), decision);
            }

            decisions.Commit();
        }

        if (_clustersPath is not null)
        {
            var clustersFile = outputs.CreateFile(_clustersPath);
            var clusterCount = await WriteClustersAsync(clustersFile.Stream, plan, documents, documents.Count, cancellationToken).ConfigureAwait(false);
            outputs.Seal(clustersFile, ClustersRole, clusterCount);
        }

        AtomicFile.WriteAllText(exchange.NotesFile, string.Concat(notes.Select(note => note.ReplaceLineEndings(" ") + "\n")));
    }
}
