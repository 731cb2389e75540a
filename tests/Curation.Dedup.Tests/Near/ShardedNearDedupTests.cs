using System.Text.Json;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Dedup.Near;
using Curation.Dedup.Near.Sharded;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Dedup.Tests.Near;

/// <summary>
/// Near-dedup cut into shards (fingerprints per shard, one cluster step, decisions applied per shard) decides every
/// record as the stage does in one process over the same records, whatever the cut.
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

        var single = (await StreamStageHarness.RunAsync(Stage(options, temp.Path), [.. records.Where((_, i) => !LeftOut(i - Cut(cuts, i))).Select((record, i) => Envelope.Kept(i, record))], batchSize: 16)).Envelopes;

        var stage = Stage(options, temp.Path);
        var exchange = new FingerprintExchange(temp.File("cluster"), partitions: 3, shards: shards.Count, bands: stage.Bands);
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

        using var outputs = RunOutputs.Unplanned();
        IReadOnlyList<IReadOnlySet<long>> excluded = [.. shards.Select(shard => (IReadOnlySet<long>)Enumerable.Range(0, shard.Count).Where(LeftOut).Select(i => (long)i).ToHashSet())];
        await stage.ResolveShardsAsync(exchange, excluded, workers: 2, outputs, TimeProvider.System, CancellationToken.None);
        var sharded = new List<Envelope>();
        for (var shard = 0; shard < shards.Count; shard++)
        {
            var reaching = shards[shard].Select((record, i) => (Record: record, Sequence: i)).Where(item => !LeftOut(item.Sequence)).Select(item => Envelope.Kept(item.Sequence, item.Record)).ToList();
            var applied = new ResolvedClustersStage(stage, () => ClusterDecisions.ForShard(exchange, shard));
            sharded.AddRange((await StreamStageHarness.RunAsync(applied, reaching, batchSize: 5)).Envelopes);
        }

        Assert.Equal(single.Select(Describe), sharded.Select(Describe));
        Assert.Contains(single, envelope => !envelope.IsKept);
        Assert.Contains(single, envelope => envelope.Record?.Metadata[NearDedupStage.ClusterSizeField].GetInt32() > 128);
        var notes = File.ReadAllLines(exchange.NotesFile);
        Assert.Equal(stage.Describe(), notes[0]);
        Assert.Matches(@"^\d+ records, \d+ candidate pairs \(\d+ compared\), \d+ clusters of two or more, \d+ dropped; signing 0\.00 s on all workers, clustering [0-9.]+ s$", notes[^1]);
        Assert.Equal(memoryBudget is not null, notes.Any(note => note.StartsWith("memory budget 1KB: LSH band keys spilled", StringComparison.Ordinal)));
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
