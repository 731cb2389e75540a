using System.Text.Json;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Dedup;
using Curation.Dedup.Near;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Splits.Tests;

public sealed class SplitStageTests : StageContractTests
{
    private static readonly string[] Words =
        "the a quick brown fox jumps over lazy dog while seven tired engineers debug flaky tests in production late at night because nobody wrote a proper runbook".Split(' ');

    protected override StageRegistry Registry { get; } = new StageRegistry().AddSplitStages();

    protected override string Kind => SplitStages.Split;

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    protected override IStage CreateStage() => FromRegistry(new SplitOptions { Stratify = "tag:category" });

    private static ChatRecord Record(string id, string response, string file = "in.jsonl", long line = 1, string? tag = null)
    {
        var record = Chat.Builder().User("Tell me something.").Assistant(response).WithId(id).At(file, line).Build();
        return tag is null ? record : record with { Metadata = record.Metadata.SetItem("topic", JsonSerializer.SerializeToElement(tag)) };
    }

    private static string Paragraph(int seed, int length = 80) => SyntheticText.Paragraph(Words, seed, length);

    private static string ChangeOneWord(string text, int position)
    {
        var words = text.Split(' ');
        words[position] = "CHANGED";
        return string.Join(' ', words);
    }

    private static List<ChatRecord> Numbered(int count, Func<int, string> file) =>
        [.. Enumerable.Range(0, count).Select(i => Record($"r{i}", $"answer number {i}", file(i), i + 1))];

    private async Task<StreamStageOutput> Split(IReadOnlyList<ChatRecord> records, SplitOptions options, long seed = 7, int batchSize = 3) =>
        await StreamStageHarness.RunAsync(new SplitStage(options, "split", Temp.Path, seed), StreamStageHarness.Kept([.. records]), batchSize);

    private static List<string> SplitsOf(StreamStageOutput output) => [.. output.Envelopes.Select(e => e.Record!.Metadata["split"].GetString()!)];

    [Fact]
    public async Task SameSeed_GivesTheSameSplits_AnotherSeedOthers_WhateverTheBatching()
    {
        var records = Numbered(200, _ => "in.jsonl");

        var first = SplitsOf(await Split(records, new SplitOptions(), seed: 7, batchSize: 1));
        var again = SplitsOf(await Split(records, new SplitOptions(), seed: 7, batchSize: 64));
        var otherPipelineSeed = SplitsOf(await Split(records, new SplitOptions(), seed: 8));
        var ownSeed = SplitsOf(await Split(records, new SplitOptions { Seed = 7 }, seed: 8));

        Assert.Equal(first, again);
        Assert.Equal(first, ownSeed);
        Assert.NotEqual(first, otherPipelineSeed);
        Assert.Equal((160, 20, 20), (otherPipelineSeed.Count(s => s == "train"), otherPipelineSeed.Count(s => s == "validation"), otherPipelineSeed.Count(s => s == "test")));
    }

    [Fact]
    public async Task RecordsComeOutInInputOrder_EachWithItsSplit()
    {
        var records = Numbered(50, _ => "in.jsonl");

        var output = await Split(records, new SplitOptions());

        Assert.Equal(records.Select(r => r.Id), output.Envelopes.Select(e => e.Record!.Id));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), output.Envelopes.Select(e => e.Sequence));
        Assert.All(output.Envelopes, e => Assert.Contains(e.Record!.Metadata["split"].GetString(), new[] { "train", "validation", "test" }));
    }

    [Fact]
    public async Task EveryStratum_GetsTheLargestRemainderCounts_BySource()
    {
        // 37, 50 and 13 records: 29.6/3.7/3.7, 40/5/5 and 10.4/1.3/1.3 records due, worked by hand.
        var records = Numbered(100, i => i < 37 ? "a.jsonl" : i < 87 ? "b.jsonl" : "c.jsonl");
        var shuffled = records.OrderBy(r => r.Id.GetHashCode(StringComparison.Ordinal) % 7).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

        var output = await Split(shuffled, new SplitOptions { Stratify = "source" });

        var counts = output.Envelopes.GroupBy(e => (e.Record!.Source.File, e.Record.Metadata["split"].GetString())).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal((29, 4, 4), (counts[("a.jsonl", "train")], counts[("a.jsonl", "validation")], counts[("a.jsonl", "test")]));
        Assert.Equal((40, 5, 5), (counts[("b.jsonl", "train")], counts[("b.jsonl", "validation")], counts[("b.jsonl", "test")]));
        Assert.Equal((11, 1, 1), (counts[("c.jsonl", "train")], counts[("c.jsonl", "validation")], counts[("c.jsonl", "test")]));
        Assert.Contains("stratum 'a.jsonl': 37 records: train 29, validation 4, test 4", output.Counters.Notes);
        Assert.Contains("stratum 'c.jsonl': 13 records: train 11, validation 1, test 1", output.Counters.Notes);
    }

    [Fact]
    public async Task EveryStratum_GetsTheLargestRemainderCounts_ByTag_WithAGoldenSplit()
    {
        var records = Enumerable.Range(0, 90).Select(i => Record($"r{i}", $"answer {i}", line: i + 1, tag: i % 3 == 0 ? "math" : i % 3 == 1 ? "code" : null)).ToList();
        var options = new SplitOptions { Stratify = "tag:topic", Splits = new() { ["train"] = "0.7", ["validation"] = "0.1", ["test"] = "0.1", ["golden"] = "0.1" } };

        var output = await Split(records, options);

        // 30 records a stratum (the third without the tag): 21, 3, 3, 3 each.
        foreach (var group in output.Envelopes.GroupBy(e => e.Record!.Metadata.TryGetValue("topic", out var t) ? t.GetString() : null))
        {
            var splits = group.Select(e => e.Record!.Metadata["split"].GetString()).ToList();
            Assert.Equal((21, 3, 3, 3), (splits.Count(s => s == "train"), splits.Count(s => s == "validation"), splits.Count(s => s == "test"), splits.Count(s => s == "golden")));
        }

        Assert.Contains("stratum '(none)': 30 records: train 21, validation 3, test 3, golden 3", output.Counters.Notes);
        Assert.Equal(
            "90 records in 90 groups (by 'cluster_id', else record id), seed 7, stratified by metadata 'topic': train 63 (63 groups), validation 9 (9 groups), test 9 (9 groups), golden 9 (9 groups)",
            output.Counters.Notes[0]);
    }

    [Fact]
    public async Task NearDuplicateClusters_MarkedByNearDedup_NeverStraddleSplits()
    {
        var records = new List<ChatRecord>();
        for (var cluster = 0; cluster < 60; cluster++)
        {
            // 200 words: one changed word leaves a Jaccard near 0.95, which banding finds with certainty.
            var original = Paragraph(cluster, 200);
            records.Add(Record($"c{cluster}-0", original, line: records.Count + 1));
            for (var variant = 1; variant <= cluster % 4; variant++)
            {
                records.Add(Record($"c{cluster}-{variant}", ChangeOneWord(original, 10 * variant), line: records.Count + 1));
            }
        }

        Assert.True(new StageRegistry().AddDedupStages().TryGet(DedupStages.NearDedup, out var descriptor));
        var nearDedup = (IStreamStage)descriptor.Create(new NearDedupOptions { Action = NearDedupAction.Mark }, new StageBuildContext("near-dedup", Temp.Path, 7, Temp.Path));
        var marked = await StreamStageHarness.RunAsync(nearDedup, StreamStageHarness.Kept([.. records]));
        var split = await StreamStageHarness.RunAsync(new SplitStage(new SplitOptions(), "split", Temp.Path, 7), marked.Envelopes);

        var outcome = split.Envelopes.Select(e => e.Record!).ToList();
        Assert.Equal(records.Count, outcome.Count);
        // near-dedup found the clusters as made: each record's cluster is its original.
        Assert.All(outcome, r => Assert.Equal(r.Id.Split('-')[0] + "-0", r.Metadata["cluster_id"].GetString()));
        Assert.All(outcome.GroupBy(r => r.Metadata["cluster_id"].GetString()), cluster => Assert.Single(cluster.Select(r => r.Metadata["split"].GetString()).Distinct()));
        Assert.Equal(3, outcome.Select(r => r.Metadata["split"].GetString()).Distinct().Count());
        Assert.StartsWith($"{records.Count} records in 60 groups", split.Counters.Notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SplitFiles_HoldExactlyTheRecordsOfTheirSplit_AndTheCountsBalance()
    {
        var records = Numbered(120, i => i % 2 == 0 ? "even.jsonl" : "odd.jsonl");

        var output = await Split(records, new SplitOptions { Stratify = "source", Dir = "parts" });

        var bySplit = output.Envelopes.GroupBy(e => e.Record!.Metadata["split"].GetString()!).ToDictionary(g => g.Key, g => g.Select(e => e.Record!.Id).ToList());
        var total = 0;
        foreach (var name in new[] { "train", "validation", "test" })
        {
            var lines = File.ReadAllLines(Temp.File($"parts/{name}.jsonl"));
            var ids = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!).ToList();
            Assert.Equal(bySplit[name], ids);
            Assert.All(lines, line => Assert.Equal(name, JsonDocument.Parse(line).RootElement.GetProperty("metadata").GetProperty("split").GetString()));
            total += ids.Count;
        }

        Assert.Equal(records.Count, total);
        Assert.Equal((96, 12, 12), (bySplit["train"].Count, bySplit["validation"].Count, bySplit["test"].Count));
    }

    [Fact]
    public async Task GroupField_KeepsRecordsWithTheSameValueTogether_OthersByTheirId()
    {
        var records = Enumerable.Range(0, 60).Select(i => Record($"r{i}", $"answer {i}", line: i + 1)).Select((r, i) => i < 40
            ? r with { Metadata = r.Metadata.SetItem("conversation", JsonSerializer.SerializeToElement(i / 4)) }
            : r).ToList();

        var output = await Split(records, new SplitOptions { Group = "conversation" });

        var splits = SplitsOf(output);
        for (var conversation = 0; conversation < 10; conversation++)
        {
            Assert.Single(splits.Skip(4 * conversation).Take(4).Distinct());
        }

        Assert.StartsWith("60 records in 30 groups (by 'conversation', else record id)", output.Counters.Notes[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGroupInTwoStrata_StaysTogether_WithItsFirstRecordsStratum()
    {
        var records = Numbered(40, i => i < 20 ? "a.jsonl" : "b.jsonl")
            .Select((r, i) => i is 3 or 25 ? r with { Metadata = r.Metadata.SetItem("cluster_id", JsonSerializer.SerializeToElement("shared")) } : r)
            .ToList();

        var output = await Split(records, new SplitOptions { Stratify = "source" });

        var splits = SplitsOf(output);
        Assert.Equal(splits[3], splits[25]);
        Assert.Contains("1 groups have records in more than one stratum: each went with its first record's stratum", output.Counters.Notes);
        Assert.Contains(output.Counters.Notes, note => note.StartsWith("stratum 'a.jsonl': 21 records: ", StringComparison.Ordinal));
        Assert.Contains(output.Counters.Notes, note => note.StartsWith("stratum 'b.jsonl': 19 records: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ splits: { train: 0.8, test: 0.1 } }", "parameter 'splits': split shares must sum to 1, got 0.9 (train 0.8 + test 0.1)")]
    [InlineData("{ splits: { train: 0.8, test: 0.3 } }", "split shares must sum to 1, got 1.1")]
    [InlineData("{ splits: { train: 1.2, test: -0.2 } }", "split 'train': expected a share from 0 to 1, got '1.2'")]
    [InlineData("{ splits: { train: most, test: 0.1 } }", "split 'train': expected a share from 0 to 1, got 'most'")]
    [InlineData("{ splits: { Train: 0.5, test: 0.5 } }", "split name 'Train' must be lower-case letters")]
    [InlineData("{ splits: { } }", "expected split names with their shares")]
    [InlineData("{ stratify: file }", "parameter 'stratify': expected 'source' or 'tag:FIELD', got 'file'")]
    [InlineData("{ stratify: 'tag:' }", "expected 'source' or 'tag:FIELD', got 'tag:'")]
    [InlineData("{ format: parquet, compression: gzip }", "compression applies to JSONL split files only")]
    public void Options_BadValues_AreOneLineConfigErrors(string options, string expected)
    {
        var yaml = $"inputs: [in.jsonl]\nstages:\n  - split: {options}\n";

        var error = Assert.Throws<ConfigException>(() => PipelineLoader.Parse(yaml, "p.yaml", "/tmp", new StageRegistry().AddSplitStages()));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Options_SharesNearOne_AreScaled()
    {
        Assert.True(SplitRatios.TryParse(new Dictionary<string, string> { ["a"] = "0.333", ["b"] = "0.333", ["c"] = "0.333" }, out var ratios, out _));
        Assert.InRange(ratios.Shares.Sum(), 1m - 1e-20m, 1m);
        Assert.Equal([1L, 1, 1], SplitAllocation.Targets(3, ratios.Shares));
    }

    [Fact]
    public void Writes_OneFilePerSplit_UnderTheOutputFolder_InTheChosenFormat()
    {
        var stage = new SplitStage(new SplitOptions { Format = OutputFormat.ShareGpt, Compression = OutputCompression.Gzip }, "split", Temp.Path, 7);

        Assert.Equal(
            new[] { "train", "validation", "test" }.Select(name => Temp.File($"splits/{name}.jsonl.gz")),
            stage.Writes.Select(output => output.Path));
        Assert.Equal(
            [Temp.File("splits/train.parquet"), Temp.File("splits/test.parquet")],
            new SplitStage(new SplitOptions { Format = OutputFormat.Parquet, Splits = new() { ["train"] = "0.9", ["test"] = "0.1" } }, "split", Temp.Path, 7).Paths);
    }

    [Fact]
    public async Task SplitFiles_Compressed_HoldTheSameLines_AsUncompressed()
    {
        var records = Numbered(30, _ => "in.jsonl");
        await Split(records, new SplitOptions { Dir = "plain" });
        await Split(records, new SplitOptions { Dir = "gzip", Compression = OutputCompression.Gzip });

        foreach (var name in new[] { "train", "validation", "test" })
        {
            using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Temp.File($"gzip/{name}.jsonl.gz")), System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            Assert.Equal(await File.ReadAllTextAsync(Temp.File($"plain/{name}.jsonl")), await reader.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task RecordsTheFormatCannotHold_AreLeftOutOfTheSplitFiles_ButStillSplit()
    {
        var records = new List<ChatRecord>
        {
            Record("plain", "an answer"),
            Chat.Builder().User("first").Assistant("one").User("second").Assistant("two").User("third, unanswered").WithId("dangling").At("in.jsonl", 2).Build(),
        };

        var output = await Split(records, new SplitOptions { Format = OutputFormat.Alpaca, Splits = new() { ["all"] = "1" } });

        Assert.Equal(2, output.Envelopes.Count);
        Assert.Single(File.ReadAllLines(Temp.File("splits/all.jsonl")));
        Assert.Contains("1 records left out of the split files: alpaca cannot hold them", output.Counters.Notes);
    }

    [Fact]
    public async Task KeysResolvedApart_GiveTheStagesSplitsNotesAndFileCounts()
    {
        // Records of three files (strata), groups spanning files, and one record alpaca cannot hold.
        var records = Enumerable.Range(0, 90).Select(i => Record($"r{i}", $"answer {i}", $"f{i % 3}.jsonl", i + 1, tag: null)).ToList();
        records = [.. records.Select((record, i) => i % 10 == 0 ? record with { Metadata = record.Metadata.SetItem("cluster_id", JsonSerializer.SerializeToElement("shared")) } : record)];
        records.Add(Chat.Builder().User("first").Assistant("one").User("unanswered").WithId("dangling").At("f0.jsonl", 99).Build());
        var options = new SplitOptions { Stratify = "source", Format = OutputFormat.Alpaca };
        var stage = new SplitStage(options, "split", Temp.Path, 7);

        var output = await StreamStageHarness.RunAsync(stage, StreamStageHarness.Kept([.. records]));
        var resolver = new SplitStage(options, "split", Temp.Path, 7).NewResolver();
        foreach (var record in records)
        {
            resolver.Add(stage.KeyOf(record));
        }

        var resolution = resolver.Resolve();

        Assert.Equal(SplitsOf(output), resolution.RecordSplits.Select(split => stage.Names[split]));
        Assert.Equal(output.Counters.Notes, resolution.Notes);
        Assert.Contains("1 groups have records in more than one stratum: each went with its first record's stratum", resolution.Notes);
        Assert.Equal(stage.Paths.Select(path => (long)File.ReadAllLines(path).Length), resolution.FileRecords);
        Assert.Equal(records.Count - 1, resolution.FileRecords.Sum());
    }
}
