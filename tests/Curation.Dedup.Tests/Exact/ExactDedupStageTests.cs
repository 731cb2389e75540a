using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Dedup.Exact;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Dedup.Tests.Exact;

public sealed class ExactDedupStageTests : StageContractTests
{
    protected override StageRegistry Registry { get; } = new StageRegistry().AddDedupStages();

    protected override string Kind => DedupStages.ExactDedup;

    protected override IReadOnlyList<ChatRecord> RealisticInput { get; } = SampleConversations.Take(40);

    // The same conversations exported again under other ids.
    protected override IReadOnlyList<ChatRecord> RejectingInput { get; } =
        [.. SampleConversations.Take(40).Where((_, i) => i % 9 == 2).Select(record => record with { Id = "again-" + record.Id })];

    protected override IStage CreateStage() => FromRegistry(new ExactDedupOptions());

    private static ChatRecord Record(string id, string prompt, string response, long line, string? url = null)
    {
        var record = Chat.Builder().User(prompt).Assistant(response).WithId(id).At("in.jsonl", line).Build();
        return url is null
            ? record
            : record with { Metadata = ImmutableSortedDictionary.Create<string, JsonElement>(StringComparer.Ordinal).Add("url", JsonSerializer.SerializeToElement(url)) };
    }

    private static async Task<List<Envelope>> Run(DedupKey key, IReadOnlyList<Envelope> input, List<string>? fields = null, int batchSize = 3, int workers = 2) =>
        (await StreamStageHarness.RunAsync(new ExactDedupStage(new ExactDedupOptions { Key = key, Fields = fields ?? [] }, "exact-dedup"), input, batchSize, workers)).Envelopes;

    [Fact]
    public async Task Conversation_NamesTheFirstCopy_EvenWhenItsLabelIsLong()
    {
        var longId = "first-" + new string('x', 700);
        var input = StreamStageHarness.Kept(Record(longId, "What is 2+2?", "4", 1), Record("b", "What is 2+2?", "4", 2));

        var output = await Run(DedupKey.Conversation, input);

        Assert.Equal($"same conversation as {longId} (in.jsonl:1)", Assert.Single(output, e => !e.IsKept).Reject!.Detail);
    }

    [Fact]
    public async Task Conversation_KeepsTheFirstCopy_AndRejectsLaterOnesNamingIt()
    {
        var input = StreamStageHarness.Kept(
            Record("a", "What is 2+2?", "4", 1),
            Record("b", "Capital of France?", "Paris", 2),
            Record("c", "What is 2+2?", "4", 3),
            Record("d", "What is 2+2?", "Four", 4),
            Record("e", "Capital of France?", "Paris", 5));

        var output = await Run(DedupKey.Conversation, input);

        Assert.Equal([0L, 1, 2, 3, 4], output.Select(e => e.Sequence));
        Assert.Equal(["a", "b", "d"], output.Where(e => e.IsKept).Select(e => e.Record!.Id));
        var rejects = output.Where(e => !e.IsKept).Select(e => e.Reject!).ToList();
        Assert.All(rejects, r => Assert.Equal((ExactDedupStage.DuplicateRule, "exact-dedup"), (r.Rule, r.Stage)));
        Assert.Equal("same conversation as a (in.jsonl:1)", rejects[0].Detail);
        Assert.Equal("c", rejects[0].Record!.Id);
        Assert.Equal("same conversation as b (in.jsonl:2)", rejects[1].Detail);
    }

    [Fact]
    public async Task Prompt_TreatsOneQuestionWithTwoAnswersAsDuplicates()
    {
        var output = await Run(DedupKey.Prompt, StreamStageHarness.Kept(Record("a", "Q", "first", 1), Record("b", "Q", "second", 2), Record("c", "Other", "first", 3)));

        Assert.Equal(["a", "c"], output.Where(e => e.IsKept).Select(e => e.Record!.Id));
    }

    [Fact]
    public async Task Response_TreatsOneAnswerToTwoQuestionsAsDuplicates()
    {
        var output = await Run(DedupKey.Response, StreamStageHarness.Kept(Record("a", "Q1", "same", 1), Record("b", "Q2", "same", 2), Record("c", "Q1", "other", 3)));

        Assert.Equal(["a", "c"], output.Where(e => e.IsKept).Select(e => e.Record!.Id));
    }

    [Fact]
    public async Task Fields_ComparesListedMetadata_AndKeepsRecordsWithoutIt()
    {
        var input = StreamStageHarness.Kept(
            Record("a", "Q1", "A1", 1, url: "https://x/1"),
            Record("b", "Q2", "A2", 2, url: "https://x/1"),
            Record("c", "Q3", "A3", 3),
            Record("d", "Q4", "A4", 4));

        var output = await Run(DedupKey.Fields, input, fields: ["url"]);

        Assert.Equal(["a", "c", "d"], output.Where(e => e.IsKept).Select(e => e.Record!.Id));
    }

    [Fact]
    public async Task EarlierRejects_PassThroughUntouched_InOrder()
    {
        var earlier = new Reject("validate", "empty-turn", "messages[1] is empty", new SourceRef("in.jsonl", 2, SourceUnit.Line));
        var input = new List<Envelope>
        {
            Envelope.Kept(0, Record("a", "Q", "A", 1)),
            Envelope.Rejected(1, earlier),
            Envelope.Kept(2, Record("c", "Q", "A", 3)),
        };

        var output = await Run(DedupKey.Conversation, input, batchSize: 1);

        Assert.Equal([0L, 1, 2], output.Select(e => e.Sequence));
        Assert.Same(earlier, output[1].Reject);
        Assert.Equal(ExactDedupStage.DuplicateRule, output[2].Reject!.Rule);
    }

    [Fact]
    public async Task Result_DoesNotDependOnBatchSizeOrWorkers()
    {
        var records = Enumerable.Range(0, 300).Select(i => Record($"r{i}", $"question {i % 50}", $"answer {i % 50}", i + 1)).ToArray();
        var input = StreamStageHarness.Kept(records);

        var small = await Run(DedupKey.Conversation, input, batchSize: 1, workers: 1);
        var large = await Run(DedupKey.Conversation, input, batchSize: 64, workers: 4);

        Assert.Equal(small.Select(Describe), large.Select(Describe));
        Assert.Equal(50, small.Count(e => e.IsKept));
    }

    [Theory]
    [InlineData("- exact-dedup: { key: fields }", "needs a list of metadata fields")]
    [InlineData("- exact-dedup: { key: prompt, fields: [url] }", "applies only with 'key: fields'")]
    [InlineData("- exact-dedup: { key: title }", "expected one of conversation|prompt|response|fields")]
    public void Options_BadCombinations_AreConfigErrors(string stage, string expected)
    {
        var yaml = $"inputs: [in.jsonl]\nstages:\n  {stage}\n";

        var error = Assert.Throws<ConfigException>(() => PipelineLoader.Parse(yaml, "p.yaml", "/tmp", new StageRegistry().AddDedupStages()));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static string Describe(Envelope envelope) =>
        envelope.IsKept ? $"{envelope.Sequence} kept {envelope.Record!.Id}" : $"{envelope.Sequence} {envelope.Reject!.Rule} {envelope.Reject.Detail}";
}
