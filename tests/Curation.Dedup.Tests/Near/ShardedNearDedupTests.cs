using System.Text.Json;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Dedup.Near;
using Curation.Dedup.Near.Sharded;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Dedup.Tests.Near;

/// <summary>
/// Near-dedup cut into shards (fingerprints per shard, pairs found per band partition by several tasks, one clusters
/// step, decisions applied per shard) decides every record as the stage does in one process over the same records,
/// whatever the cut and however many pairs tasks share the bands.
/// </summary>
public sealed class ShardedNearDedupTests
{
    private static readonly string[] Words =
        "the a quick brown fox jumps over lazy dog while seven tired engineers debug flaky tests in production late at night because nobody wrote a proper runbook".Split(' ');

    [Theory]
    [InlineData(KeepPolicy.First, null)]
    [InlineData(KeepPolicy.Longest, "1KB")]
    [InlineData(KeepPolicy.Field, null)]
    public async Task Shards_WithLeftOutRecordsAndAnEmptyShard_DecideAsOneProcess(KeepPolicy keep, string? memoryBudget)
    {
        using var temp = new TempFolder();
        var options = new NearDedupOptions { Keep = keep, KeepField = keep == KeepPolicy.Field ? "score" : null, MemoryBudget = memoryBudget };
        var records = Records();

        // Shard 1 is empty; every seventh record is left out, as exact-dedup's later occurrences are.
        int[] cuts = [0, 120, 120, 260, records.Count];
        var shards = Enumerable.Range(0, cuts.Length - 1).Select(shard => records.Skip(cuts[shard]).Take(cuts[shard + 1] - cuts[shard]).ToList()).ToList();
        static bool LeftOut(int sequence) => sequence % 7 == 3;

        var single = await StreamStageHarness.RunAsync(Stage(options, temp.Path), [.. records.Where((_, i) => !LeftOut(i - Cut(cuts, i))).Select((record, i) => Envelope.Kept(i, record))], batchSize: 16);

        // 14 bands in 5 partitions: with 2, 3 or 4 pairs tasks some take two partitions, with 1 one takes them all.
        var stage = Stage(options, temp.Path);
        var exchange = WriteFingerprints(stage, temp.File("cluster"), partitions: 5, shards);
        IReadOnlyList<IReadOnlySet<long>> excluded = [.. shards.Select(shard => (IReadOnlySet<long>)Enumerable.Range(0, shard.Count).Where(LeftOut).Select(i => (long)i).ToHashSet())];
        var oneProcessPairs = long.Parse(NoteNumbers(single.Counters.Notes[^1]).CandidatePairs, System.Globalization.CultureInfo.InvariantCulture);
        byte[][]? firstDecisions = null;
        foreach (var pairTasks in new[] { 1, 2, 3, 4 })
        {
            var found = await DecideAsync(stage, exchange, excluded, pairTasks);

            // Every band is merged by one task: the candidate pairs add up to one process's, counted once per band.
            Assert.Equal(oneProcessPairs, found);
            var decisions = Enumerable.Range(0, shards.Count).Select(shard => File.ReadAllBytes(exchange.DecisionsFile(shard))).ToArray();
            firstDecisions ??= decisions;
            Assert.Equal(firstDecisions, decisions);

            var sharded = new List<Envelope>();
            for (var shard = 0; shard < shards.Count; shard++)
            {
                var reaching = shards[shard].Select((record, i) => (Record: record, Sequence: i)).Where(item => !LeftOut(item.Sequence)).Select(item => Envelope.Kept(item.Sequence, item.Record)).ToList();
                var applied = new ResolvedClustersStage(stage, () => ClusterDecisions.ForShard(exchange, shard));
                sharded.AddRange((await StreamStageHarness.RunAsync(applied, reaching, batchSize: 5)).Envelopes);
            }

            Assert.Equal(single.Envelopes.Select(Describe), sharded.Select(Describe));
            var notes = File.ReadAllLines(exchange.NotesFile);
            Assert.Equal(stage.Describe(), notes[0]);
            Assert.Matches(@"^\d+ records, \d+ candidate pairs \(\d+ compared\), \d+ clusters of two or more, \d+ dropped; signing 0\.00 s on all workers, clustering [0-9.]+ s$", notes[^1]);
            Assert.Equal(NoteNumbers(single.Counters.Notes[^1]) with { Compared = string.Empty }, NoteNumbers(notes[^1]) with { Compared = string.Empty });
            Assert.Equal(memoryBudget is not null, notes.Any(note => note.StartsWith("memory budget 1KB: LSH band keys spilled", StringComparison.Ordinal)));
        }

        Assert.Contains(single.Envelopes, envelope => !envelope.IsKept);
        Assert.Contains(single.Envelopes, envelope => envelope.Record?.Metadata[NearDedupStage.ClusterSizeField].GetInt32() > 128);
    }

    [Fact]
    public async Task ChainWhoseLinksLieInDifferentBandPartitions_IsOneCluster_AsInOneProcess()
    {
        using var temp = new TempFolder();
        var options = new NearDedupOptions { NumPerm = 32, Bands = 8, Rows = 4, Threshold = 0.5 };
        var stage = Stage(options, temp.Path);
        var (a, b, c) = ChainAcrossPartitions(stage);
        var others = Enumerable.Range(0, 6).Select(i => SyntheticText.Paragraph(Words, 500 + i, 80)).ToList();

        // A and B in shard 0, C in shard 1, between unrelated records.
        List<string>[] texts = [[others[0], a, others[1], b], [others[2], c, others[3]]];
        var shards = texts.Select((shard, s) => shard.Select((text, i) => Record($"s{s}-{i}", text)).ToList()).ToList();
        var single = await StreamStageHarness.RunAsync(Stage(options, temp.Path), [.. shards.SelectMany(shard => shard).Select((record, i) => Envelope.Kept(i, record))]);
        Assert.Equal(["s0-1 s0-1 3", "s0-3 near-dedup near-duplicate", "s1-1 near-dedup near-duplicate"], single.Envelopes.Where(e => !e.IsKept || e.Record!.Metadata[NearDedupStage.ClusterSizeField].GetInt32() > 1).Select(Brief));

        var exchange = WriteFingerprints(stage, temp.File("cluster"), partitions: 2, shards);
        IReadOnlyList<IReadOnlySet<long>> excluded = [new HashSet<long>(), new HashSet<long>()];
        await DecideAsync(stage, exchange, excluded, pairTasks: 2);

        // Each task saw one link of the chain, never the whole cluster.
        Assert.Single(SpanningPairsFile.ReadPairs(exchange.PairsFile(0)));
        Assert.Single(SpanningPairsFile.ReadPairs(exchange.PairsFile(1)));
        var sharded = new List<Envelope>();
        for (var shard = 0; shard < shards.Count; shard++)
        {
            var applied = new ResolvedClustersStage(stage, () => ClusterDecisions.ForShard(exchange, shard));
            sharded.AddRange((await StreamStageHarness.RunAsync(applied, [.. shards[shard].Select((record, i) => Envelope.Kept(i, record))])).Envelopes);
        }

        Assert.Equal(single.Envelopes.Select(Describe), sharded.Select(Describe));
    }

    [Fact]
    public void PairsFileCutShort_IsNamedWithWhatToDo()
    {
        using var temp = new TempFolder();
        var path = temp.File("pairs-00000.bin");
        SpanningPairsFile.Write(path, joined =>
        {
            joined(new Dedup.MinHash.CandidatePair(0, 3));
            joined(new Dedup.MinHash.CandidatePair(1, 2));
            return new PairCounts(7, 5, 0.25);
        });
        Assert.Equal([new Dedup.MinHash.CandidatePair(0, 3), new Dedup.MinHash.CandidatePair(1, 2)], SpanningPairsFile.ReadPairs(path));
        Assert.Equal(new PairCounts(7, 5, 0.25), SpanningPairsFile.ReadCounts(path));

        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^3]);

        var error = Assert.Throws<Core.CurationException>(() => SpanningPairsFile.ReadCounts(path));
        Assert.EndsWith("pairs-00000.bin: cut short: remove it and rerun the pairs task that wrote it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShingleFileOfAnotherLength_AsAnEarlierVersionWrote_IsNamedWithWhatToDo()
    {
        using var temp = new TempFolder();
        var stage = new NearDedupStage(new NearDedupOptions(), "near-dedup", temp.Path, temp.Path, 7);
        var exchange = WriteFingerprints(stage, temp.File("pairs"), 1, [[Record("a", SyntheticText.Paragraph(Words, 1, 120)), Record("b", SyntheticText.Paragraph(Words, 2, 120))]]);
        using (ShardedFingerprints.Load(exchange, [new HashSet<long>()], KeepPolicy.First))
        {
        }

        // 8 bytes a value, as the shard tasks wrote them before the compared sets.
        var shingles = File.ReadAllBytes(exchange.ShinglesFile(0));
        File.WriteAllBytes(exchange.ShinglesFile(0), [.. shingles, .. shingles]);

        var error = Assert.Throws<Core.CurationException>(() => ShardedFingerprints.Load(exchange, [new HashSet<long>()], KeepPolicy.First));
        Assert.Contains($"holds {2 * shingles.Length} bytes, not the {shingles.Length} of its 2 documents' shingle sets: remove ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("and rerun task 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreRecordsThanTheClusterStepNumbered_IsAMismatch_NamedWithWhatToDo()
    {
        using var temp = new TempFolder();
        var exchange = new FingerprintExchange(temp.File("cluster"), 1, 1, 4);
        using (var writer = new ClusterDecisions.Writer(exchange, [1]))
        {
            writer.Commit();
        }

        File.WriteAllText(exchange.NotesFile, "note\n");
        var decisions = ClusterDecisions.ForShard(exchange, 0);
        Assert.Null(decisions.Next(0));

        var error = Assert.Throws<Core.CurationException>(() => decisions.Next(1));
        Assert.Contains("numbered 1 records of shard 0 but 2 reach the stage here", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The pairs step's tasks, then the clusters step; the candidate pairs the tasks found.</summary>
    private static async Task<long> DecideAsync(NearDedupStage stage, FingerprintExchange exchange, IReadOnlyList<IReadOnlySet<long>> excluded, int pairTasks)
    {
        var found = 0L;
        for (var task = 0; task < pairTasks; task++)
        {
            found += stage.FindPairs(exchange, excluded, task, pairTasks, workers: 2, TimeProvider.System, CancellationToken.None).Found;
        }

        using var outputs = RunOutputs.Unplanned();
        await stage.ResolveShardsAsync(exchange, excluded, pairTasks, workers: 2, outputs, TimeProvider.System, CancellationToken.None);
        return found;
    }

    private static FingerprintExchange WriteFingerprints(NearDedupStage stage, string folder, int partitions, List<List<ChatRecord>> shards)
    {
        var exchange = new FingerprintExchange(folder, partitions, shards.Count, stage.Bands);
        for (var shard = 0; shard < shards.Count; shard++)
        {
            using var writer = new ShardFingerprintWriter(exchange, shard, stage.MemoryBudgetBytes);
            foreach (var batch in shards[shard].Select((record, i) => Envelope.Kept(i, record)).Chunk(16))
            {
                using var fingerprints = stage.Fingerprint(batch);
                writer.Add(batch, fingerprints, TimeSpan.Zero);
            }

            writer.Commit();
        }

        return exchange;
    }

    /// <summary>
    /// Texts A, B, C with A–B and B–C duplicates (exact Jaccard at or above the threshold) whose band keys agree only in
    /// even bands for A–B and only in odd bands for B–C, and A–C in no band: with two partitions (band % 2) no pairs
    /// task sees more than one link. Found by a search over seeded edits, the same every run.
    /// </summary>
    private static (string A, string B, string C) ChainAcrossPartitions(NearDedupStage stage)
    {
        var a = SyntheticText.Paragraph(Words, 11, 80);
        for (var seed = 0; seed < 20_000; seed++)
        {
            var b = Edited(a, seed);
            if (!Link(stage, a, b, even: true))
            {
                continue;
            }

            for (var next = 0; next < 200; next++)
            {
                var c = Edited(b, (seed * 1000) + next + 1_000_000);
                if (Link(stage, b, c, even: false) && Bands(stage, a, c).Count == 0)
                {
                    return (a, b, c);
                }
            }
        }

        throw new InvalidOperationException("no chain across band partitions found");
    }

    private static bool Link(NearDedupStage stage, string first, string second, bool even)
    {
        var bands = Bands(stage, first, second);
        return bands.Count > 0 && bands.All(band => band % 2 == (even ? 0 : 1)) && Similarity(stage, first, second) >= 0.5;
    }

    /// <summary>The bands in which the two texts' keys agree.</summary>
    private static List<int> Bands(NearDedupStage stage, string first, string second)
    {
        using var batch = stage.Fingerprint([Envelope.Kept(0, Record("x", first)), Envelope.Kept(1, Record("y", second))]);
        var (keysA, keysB) = (batch.BandKeys(0).ToArray(), batch.BandKeys(1).ToArray());
        return [.. Enumerable.Range(0, stage.Bands).Where(band => keysA[band] == keysB[band])];
    }

    private static double Similarity(NearDedupStage stage, string first, string second)
    {
        using var batch = stage.Fingerprint([Envelope.Kept(0, Record("x", first)), Envelope.Kept(1, Record("y", second))]);
        return Dedup.MinHash.Jaccard.Of(batch.Shingles(0), batch.Shingles(1));
    }

    /// <summary>The text with three to five of its words replaced by words of its own.</summary>
    private static string Edited(string text, int seed)
    {
        var random = new Random(seed);
        var words = text.Split(' ');
        for (var edits = 3 + random.Next(3); edits > 0; edits--)
        {
            words[random.Next(words.Length)] = $"w{random.Next(1000)}";
        }

        return string.Join(' ', words);
    }

    private static ChatRecord Record(string id, string text) => Chat.Builder().User("Tell me something.").Assistant(text).WithId(id).At("in.jsonl", 1).Build();

    private static string Brief(Envelope envelope) => envelope.Record is { } record
        ? $"{record.Id} {record.Metadata[NearDedupStage.ClusterIdField].GetString()} {record.Metadata[NearDedupStage.ClusterSizeField]}"
        : $"{envelope.Reject!.Record!.Id} {envelope.Reject.Stage} {envelope.Reject.Rule}";

    /// <summary>The counts of a clustering note.</summary>
    private static (string Records, string CandidatePairs, string Compared, string Clusters) NoteNumbers(string note)
    {
        var match = System.Text.RegularExpressions.Regex.Match(note, @"^(\d+) records, (\d+) candidate pairs \((\d+) compared\), (\d+) clusters of two or more, \d+ (?:dropped|marked)");
        Assert.True(match.Success, note);
        return (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value, match.Groups[4].Value);
    }

    private static int Cut(int[] cuts, int index) => cuts.Take(cuts.Length - 1).Where(cut => cut <= index).Max();

    private static NearDedupStage Stage(NearDedupOptions options, string folder) => new(options, "near-dedup", folder, folder, pipelineSeed: 7);

    /// <summary>A template copied 200 times (one bucket beyond the all-pairs limit, lengths and scores differing), copies with one word changed, and unrelated paragraphs.</summary>
    private static List<ChatRecord> Records()
    {
        var template = SyntheticText.Paragraph(Words, 1, 120);
        var records = new List<ChatRecord>();
        for (var i = 0; i < 400; i++)
        {
            var text = (i % 8) switch
            {
                < 4 => template + new string(' ', i % 5),
                4 => string.Join(' ', template.Split(' ').Select((word, w) => w == i % 120 ? "CHANGED" : word)),
                _ => SyntheticText.Paragraph(Words, 100 + i, 120),
            };
            var record = Chat.Builder().User("Tell me something.").Assistant(text).WithId($"r{i}").At("in.jsonl", i + 1).Build();
            records.Add(record with { Metadata = record.Metadata.Add("score", JsonSerializer.SerializeToElement(i * 37 % 101)) });
        }

        return records;
    }

    private static string Describe(Envelope envelope) => envelope.Record is { } record
        ? $"{record.Id} {record.Metadata[NearDedupStage.ClusterIdField]} {record.Metadata[NearDedupStage.ClusterSizeField]}"
        : $"{envelope.Reject!.Record!.Id} {envelope.Reject.Stage} {envelope.Reject.Rule} {envelope.Reject.Detail}";
}
