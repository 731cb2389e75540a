using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Dedup.MinHash;
using Curation.Dedup.Near;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Dedup.Tests.Near;

public sealed class NearDedupStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddDedupStages();

    protected override string Kind => DedupStages.NearDedup;

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    // The same conversations with one word of the answer changed, under other ids.
    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
        [.. SampleConversations.Take(40).Where((_, i) => i % 9 == 2).Select(record => record with
        {
            Id = "edited-" + record.Id,
            Messages = record.Messages.SetItem(record.Messages.Length - 1, record.Messages[^1] with { Content = ChangeOneWord(record.Messages[^1].Content, 3) }),
        })];

    protected override IStage CreateStage() => FromRegistry(new NearDedupOptions { Clusters = "clusters.jsonl" });

    private static readonly string[] Words =
        "the a quick brown fox jumps over lazy dog while seven tired engineers debug flaky tests in production late at night because nobody wrote a proper runbook for the release process and coffee ran out hours ago so everyone waits".Split(' ');

    private static string Paragraph(int seed, int length = 120) => SyntheticText.Paragraph(Words, seed, length);

    private static string ChangeOneWord(string text, int position)
    {
        var words = text.Split(' ');
        words[position] = "CHANGED";
        return string.Join(' ', words);
    }

    private static ChatRecord Record(string id, string response, long line, double? score = null)
    {
        var record = Chat.Builder().User("Tell me something.").Assistant(response).WithId(id).At("in.jsonl", line).Build();
        return score is null
            ? record
            : record with { Metadata = ImmutableSortedDictionary.Create<string, JsonElement>(StringComparer.Ordinal).Add("score", JsonSerializer.SerializeToElement(score)) };
    }

    private static async Task<List<Envelope>> Run(IReadOnlyList<Envelope> input, NearDedupOptions? options = null, int batchSize = 3, int workers = 2, string? outputDirectory = null) =>
        (await StreamStageHarness.RunAsync(new NearDedupStage(options ?? new NearDedupOptions(), "near-dedup", outputDirectory ?? Path.GetTempPath(), outputDirectory ?? Path.GetTempPath(), pipelineSeed: 7), input, batchSize, workers)).Envelopes;

    [Fact]
    public async Task OneWordChanged_IsDroppedAsNearDuplicate_NamingTheKeptRecordAndJaccard()
    {
        var original = Paragraph(1);
        var input = StreamStageHarness.Kept(
            Record("a", original, 1),
            Record("b", Paragraph(2), 2),
            Record("c", ChangeOneWord(original, 60), 3),
            Record("d", Paragraph(3), 4));

        var output = await Run(input);

        Assert.Equal([0L, 1, 2, 3], output.Select(e => e.Sequence));
        Assert.Equal(["a", "b", "d"], output.Where(e => e.IsKept).Select(e => e.Record!.Id));
        var reject = Assert.Single(output, e => !e.IsKept).Reject!;
        Assert.Equal((NearDedupStage.DuplicateRule, "near-dedup"), (reject.Rule, reject.Stage));
        Assert.Matches(@"^near-duplicate of a \(in\.jsonl:1\), Jaccard 0\.9\d\d$", reject.Detail);
        Assert.Equal("c", reject.Record!.Id);
    }

    [Fact]
    public async Task KeptRecords_CarryClusterIdAndSize()
    {
        var original = Paragraph(1);
        var output = await Run(StreamStageHarness.Kept(Record("a", original, 1), Record("b", ChangeOneWord(original, 5), 2), Record("c", Paragraph(9), 3)));

        var kept = output.Where(e => e.IsKept).Select(e => e.Record!).ToList();
        Assert.Equal(("a", 2), (kept[0].Metadata["cluster_id"].GetString(), kept[0].Metadata["cluster_size"].GetInt32()));
        Assert.Equal(("c", 1), (kept[1].Metadata["cluster_id"].GetString(), kept[1].Metadata["cluster_size"].GetInt32()));
    }

    [Fact]
    public async Task KeepLongest_KeepsTheMemberWithMostContent()
    {
        var original = Paragraph(1);
        var longer = original + " and one more tail";
        var output = await Run(StreamStageHarness.Kept(Record("a", original, 1), Record("b", longer, 2)), new NearDedupOptions { Keep = KeepPolicy.Longest });

        Assert.Equal(["b"], output.Where(e => e.IsKept).Select(e => e.Record!.Id));
        Assert.StartsWith("near-duplicate of b (in.jsonl:2)", output[0].Reject!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepField_KeepsTheHighestScore_RecordsWithoutOneLose()
    {
        var original = Paragraph(1);
        var input = StreamStageHarness.Kept(
            Record("a", original, 1),
            Record("b", ChangeOneWord(original, 3), 2, score: 0.4),
            Record("c", ChangeOneWord(original, 90), 3, score: 0.9),
            Record("d", ChangeOneWord(original, 50), 4, score: 0.2));

        var output = await Run(input, new NearDedupOptions { Keep = KeepPolicy.Field, KeepField = "score" });

        Assert.Equal(["c"], output.Where(e => e.IsKept).Select(e => e.Record!.Id));
    }

    [Fact]
    public async Task Verification_KeepsCandidatesBelowTheThreshold_WhichUnverifiedBandingDrops()
    {
        // One band of one row: any two documents whose minimum hashes agree become candidates, about half of these
        // pairs at Jaccard ~0.5. Verification must reject every one of them; without it some are dropped.
        var records = new List<ChatRecord>();
        for (var i = 0; i < 20; i++)
        {
            var words = Paragraph(100 + i, 60).Split(' ');
            var half = string.Join(' ', words.Take(40)) + " " + Paragraph(500 + i, 20);
            records.Add(Record($"p{i}", string.Join(' ', words), (2 * i) + 1));
            records.Add(Record($"q{i}", half, (2 * i) + 2));
        }

        var input = StreamStageHarness.Kept([.. records]);
        var verified = await Run(input, new NearDedupOptions { Bands = 1, Rows = 1, Ngram = 1 });
        var unverified = await Run(input, new NearDedupOptions { Bands = 1, Rows = 1, Ngram = 1, Verify = false });

        Assert.All(verified, e => Assert.True(e.IsKept));
        Assert.Contains(unverified, e => !e.IsKept);
    }

    [Fact]
    public async Task Result_DoesNotDependOnBatchSizeOrWorkers()
    {
        var records = Enumerable.Range(0, 60).Select(i => Record($"r{i}", i % 3 == 2 ? ChangeOneWord(Paragraph(i - 1), 7) : Paragraph(i), i + 1)).ToArray();
        var input = StreamStageHarness.Kept(records);

        var small = await Run(input, batchSize: 1, workers: 1);
        var large = await Run(input, batchSize: 50, workers: 4);

        Assert.Equal(small.Select(Describe), large.Select(Describe));
        Assert.Equal(20, small.Count(e => !e.IsKept));
    }

    [Fact]
    public async Task MemoryBudget_SpillsBandRuns_AndGivesTheSameResult()
    {
        var records = Enumerable.Range(0, 60).Select(i => Record($"r{i}", i % 3 == 2 ? ChangeOneWord(Paragraph(i - 1), 7) : Paragraph(i), i + 1)).ToArray();
        var input = StreamStageHarness.Kept(records);

        var unbounded = await Run(input);
        var budgeted = await Run(input, new NearDedupOptions { MemoryBudget = "1KB" });

        Assert.Equal(unbounded.Select(Describe), budgeted.Select(Describe));
        Assert.Equal(20, budgeted.Count(e => !e.IsKept));
    }

    [Fact]
    public async Task Activity_IsReportedWhileClustering_AndClearedAtTheEnd()
    {
        var records = Enumerable.Range(0, 40).Select(i => Record($"r{i}", i % 2 == 1 ? ChangeOneWord(Paragraph(i - 1), 3) : Paragraph(i), i + 1)).ToArray();
        var counters = new Core.Stats.StageCounters("near-dedup");
        var seen = new List<string?>();
        using var timer = new Timer(_ => { lock (seen) { seen.Add(counters.Activity); } }, null, 0, 1);

        await StreamStageHarness.RunAsync(new NearDedupStage(new NearDedupOptions(), "near-dedup", Path.GetTempPath(), Path.GetTempPath(), 7), StreamStageHarness.Kept(records), counters: counters);

        Assert.Null(counters.Activity);
        lock (seen)
        {
            Assert.All(seen.OfType<string>(), activity => Assert.Matches(@"^(clustering 40 records.*|second pass: writing the decisions)$", activity));
        }
    }

    [Fact]
    public async Task ClustersFile_ListsEveryClusterOfTwoOrMore()
    {
        using var temp = new TempFolder();
        var original = Paragraph(1);
        var input = StreamStageHarness.Kept(Record("a", original, 1), Record("b", ChangeOneWord(original, 9), 2), Record("c", Paragraph(4), 3));

        await Run(input, new NearDedupOptions { Clusters = "clusters/near.jsonl" }, outputDirectory: temp.Path);

        var line = Assert.Single(File.ReadAllLines(temp.File("clusters/near.jsonl")));
        using var cluster = JsonDocument.Parse(line);
        Assert.Equal("a", cluster.RootElement.GetProperty("cluster_id").GetString());
        Assert.Equal(["a", "b"], cluster.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Against_DropsOnlyWhatNearDuplicatesTheIndexedSet()
    {
        using var temp = new TempFolder();
        var evaluation = Paragraph(1);
        await Run(StreamStageHarness.Kept(Record("eval-1", evaluation, 1), Record("eval-2", Paragraph(2), 2)), new NearDedupOptions { SaveIndex = "eval.index" }, outputDirectory: temp.Path);
        var training = Paragraph(3);
        var input = StreamStageHarness.Kept(
            Record("t1", ChangeOneWord(evaluation, 10), 1),
            Record("t2", training, 2),
            Record("t3", ChangeOneWord(training, 10), 3));

        var output = await Run(input, new NearDedupOptions { Against = "eval.index" }, outputDirectory: temp.Path);

        Assert.Equal(["t2", "t3"], output.Where(e => e.IsKept).Select(e => e.Record!.Id));
        Assert.Matches(@"^near-duplicate of eval-1 in eval\.index, Jaccard 0\.9\d\d$", output[0].Reject!.Detail);
    }

    [Fact]
    public async Task Against_IndexBuiltWithOtherSettings_IsRefusedNamingTheSetting()
    {
        using var temp = new TempFolder();
        await Run(StreamStageHarness.Kept(Record("a", Paragraph(1), 1)), new NearDedupOptions { SaveIndex = "a.index", NumPerm = 64 }, outputDirectory: temp.Path);

        var error = Assert.Throws<Core.CurationException>(() => new NearDedupStage(new NearDedupOptions { Against = "a.index" }, "near-dedup", temp.Path, temp.Path, 7));

        Assert.Contains("num_perm 64 in the index, 128 here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Against_IndexSavedWithPunctuationDeleted_IsRefusedByTheSpaceDefault_AndAcceptedWithTheOldSetting()
    {
        using var temp = new TempFolder();
        await Run(StreamStageHarness.Kept(Record("a", Paragraph(1), 1)), new NearDedupOptions { SaveIndex = "a.index", PunctuationAsSpace = false }, outputDirectory: temp.Path);

        var error = Assert.Throws<Core.CurationException>(() => new NearDedupStage(new NearDedupOptions { Against = "a.index" }, "near-dedup", temp.Path, temp.Path, 7));

        Assert.Contains("punctuation_as_space False in the index, True here", error.Message, StringComparison.Ordinal);
        Assert.False(new NearDedupStage(new NearDedupOptions { Against = "a.index", PunctuationAsSpace = false }, "near-dedup", temp.Path, temp.Path, 7).Settings.PunctuationAsSpace);
    }

    [Fact]
    public void Against_IndexOfFormatOne_ReadsAsPunctuationDeleted()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "old.index");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write("curation-dedup-index/1");
            writer.Write(128);
            writer.Write(7L);
            var lsh = LshParameters.ForRecall(0.8, 128);
            writer.Write(lsh.Bands);
            writer.Write(lsh.Rows);
            writer.Write(5);
            writer.Write(0);
            writer.Write(true);
            writer.Write(true);
            writer.Write(false);
            writer.Write(true);
            writer.Write(0);
        }

        Assert.Contains(
            "punctuation_as_space False in the index, True here",
            Assert.Throws<Core.CurationException>(() => new NearDedupStage(new NearDedupOptions { Against = "old.index" }, "n", temp.Path, temp.Path, 7)).Message,
            StringComparison.Ordinal);
        _ = new NearDedupStage(new NearDedupOptions { Against = "old.index", PunctuationAsSpace = false }, "n", temp.Path, temp.Path, 7);
    }

    [Fact]
    public void Against_MissingOrForeignFile_IsAClearError()
    {
        using var temp = new TempFolder();
        temp.Write("not.index", "hello");

        Assert.Contains("cannot read the dedup index", Assert.Throws<Core.CurationException>(() => new NearDedupStage(new NearDedupOptions { Against = "missing.index" }, "n", temp.Path, temp.Path, 7)).Message, StringComparison.Ordinal);
        Assert.Contains("not a Curation dedup index", Assert.Throws<Core.CurationException>(() => new NearDedupStage(new NearDedupOptions { Against = "not.index" }, "n", temp.Path, temp.Path, 7)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mark_KeepsEveryMember_NamingItsClusterAndTheRecordItNearDuplicates_AsDropWouldHave()
    {
        var original = Paragraph(1);
        var input = StreamStageHarness.Kept(
            Record("a", original, 1),
            Record("b", Paragraph(2), 2),
            Record("c", ChangeOneWord(original, 60), 3),
            Record("d", ChangeOneWord(original, 20), 4));

        var dropped = await Run(input);
        var marked = await Run(input, new NearDedupOptions { Action = NearDedupAction.Mark });

        Assert.All(marked, e => Assert.True(e.IsKept));
        Assert.Equal([0L, 1, 2, 3], marked.Select(e => e.Sequence));
        var records = marked.Select(e => e.Record!).ToList();
        Assert.Equal(["a", "b", "a", "a"], records.Select(r => r.Metadata[NearDedupStage.ClusterIdField].GetString()));
        Assert.Equal([3, 1, 3, 3], records.Select(r => r.Metadata[NearDedupStage.ClusterSizeField].GetInt32()));
        Assert.False(records[0].Metadata.ContainsKey(NearDedupStage.DuplicateOfField));
        Assert.False(records[1].Metadata.ContainsKey(NearDedupStage.DuplicateOfField));
        // The members drop would reject carry what its reject detail says: the kept record and the Jaccard.
        foreach (var (reject, record) in dropped.Where(e => !e.IsKept).Select(e => e.Reject!).Zip(records.Where(r => r.Metadata.ContainsKey(NearDedupStage.DuplicateOfField))))
        {
            Assert.Equal(reject.Record!.Id, record.Id);
            Assert.Equal(
                reject.Detail,
                FormattableString.Invariant($"near-duplicate of {record.Metadata[NearDedupStage.DuplicateOfField].GetString()} (in.jsonl:1), Jaccard {record.Metadata[NearDedupStage.DuplicateJaccardField].GetDouble():0.000}"));
        }

        Assert.Equal(2, records.Count(r => r.Metadata.ContainsKey(NearDedupStage.DuplicateOfField)));
    }

    [Fact]
    public async Task Mark_SavesEveryRecordInTheIndex_AndAgainstMarksInsteadOfDropping()
    {
        using var temp = new TempFolder();
        var original = Paragraph(1);
        await Run(
            StreamStageHarness.Kept(Record("a", original, 1), Record("b", ChangeOneWord(original, 60), 2)),
            new NearDedupOptions { Action = NearDedupAction.Mark, SaveIndex = "all.index" },
            outputDirectory: temp.Path);
        Assert.Equal(["a", "b"], DedupIndex.Read(temp.File("all.index")).Ids);

        var output = await Run(
            StreamStageHarness.Kept(Record("t1", ChangeOneWord(original, 60), 1), Record("t2", Paragraph(3), 2)),
            new NearDedupOptions { Action = NearDedupAction.Mark, Against = "all.index" },
            outputDirectory: temp.Path);

        Assert.All(output, e => Assert.True(e.IsKept));
        Assert.Equal("b", output[0].Record!.Metadata[NearDedupStage.DuplicateOfField].GetString());
        Assert.Equal(1.0, output[0].Record!.Metadata[NearDedupStage.DuplicateJaccardField].GetDouble());
        Assert.False(output[1].Record!.Metadata.ContainsKey(NearDedupStage.DuplicateOfField));
    }

    [Fact]
    public async Task Index_CutShortOrDamaged_IsRefusedInOneLine()
    {
        using var temp = new TempFolder();
        await Run(StreamStageHarness.Kept(Record("a", Paragraph(1), 1), Record("b", Paragraph(2), 2)), new NearDedupOptions { SaveIndex = "good.index" }, outputDirectory: temp.Path);
        var bytes = File.ReadAllBytes(temp.File("good.index"));
        File.WriteAllBytes(temp.File("short.index"), bytes[..^9]);
        File.WriteAllBytes(temp.File("long.index"), [.. bytes, 0]);
        var huge = (byte[])bytes.Clone();
        BitConverter.GetBytes(int.MaxValue).CopyTo(huge, IndexOfCount(bytes));
        File.WriteAllBytes(temp.File("huge.index"), huge);

        foreach (var name in new[] { "short.index", "long.index", "huge.index" })
        {
            var error = Assert.Throws<Core.CurationException>(() => DedupIndex.Read(temp.File(name)));
            Assert.StartsWith(temp.File(name) + ": ", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    // The record count follows the magic string (length-prefixed), five ints and a long (num_perm, seed, bands, rows,
    // ngram, char_ngram) and five booleans (the simplification settings, the space setting of format 2 among them).
    private static int IndexOfCount(byte[] index) => 1 + index[0] + (5 * 4) + 8 + 5;

    [Theory]
    [InlineData("- near-dedup: { action: keep }", "parameter 'action': expected one of drop|mark")]
    [InlineData("- near-dedup: { bands: 4 }", "set both 'bands' and 'rows'")]
    [InlineData("- near-dedup: { bands: 20, rows: 10 }", "must be between 1 and num_perm (128)")]
    [InlineData("- near-dedup: { keep: field }", "needs 'keep_field'")]
    [InlineData("- near-dedup: { threshold: 1.5 }", "threshold")]
    [InlineData("- near-dedup: { memory_budget: lots }", "parameter 'memory_budget': expected a size such as 1GB")]
    public void Options_BadValues_AreConfigErrors(string stage, string expected)
    {
        var yaml = $"inputs: [in.jsonl]\nstages:\n  {stage}\n";

        var error = Assert.Throws<ConfigException>(() => PipelineLoader.Parse(yaml, "p.yaml", "/tmp", new StageRegistry().AddDedupStages()));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static string Describe(Envelope envelope) =>
        envelope.IsKept
            ? $"{envelope.Sequence} kept {envelope.Record!.Id} {envelope.Record.Metadata["cluster_id"]} {envelope.Record.Metadata["cluster_size"]}"
            : $"{envelope.Sequence} {envelope.Reject!.Rule} {envelope.Reject.Detail}";
}
