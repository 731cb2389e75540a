using System.Globalization;
using System.Text.RegularExpressions;
using Curation.Core;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Dedup;
using Curation.Dedup.Near;
using Curation.Evaluation.Golden;
using Curation.Evaluation.Leakage;
using Curation.TestKit;
using Curation.TestKit.Stages;

namespace Curation.Evaluation.Tests;

/// <summary>
/// Golden items checked against a near-dedup index saved by a real run over training records, and compared with
/// what near-dedup's <c>against</c> drops when the same items are run through it as records.
/// </summary>
public sealed partial class LeakageCheckTests : IDisposable
{
    private static readonly string[] Words =
        "the a quick brown fox jumps over lazy dog while seven tired engineers debug flaky tests in production late at night because nobody wrote a proper runbook".Split(' ');

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Paragraph(int seed, int length = 120) => SyntheticText.Paragraph(Words, seed, length);

    private static string ChangeWords(string text, params int[] positions)
    {
        var words = text.Split(' ');
        foreach (var position in positions)
        {
            words[position] = "CHANGED" + position.ToString(CultureInfo.InvariantCulture);
        }

        return string.Join(' ', words);
    }

    private static string Question(int topic) => $"Tell me about topic {topic}";

    private static ChatRecord Training(int topic, string? answer = null, string? id = null, int line = 0) =>
        Chat.Builder().User(Question(topic)).Assistant(answer ?? Paragraph(topic)).WithId(id ?? $"t{topic}").At("train.jsonl", line > 0 ? line : topic + 1).Build();

    private static GoldenItem Golden(string id, string answer, int topic, string? system = null) =>
        new(id, [.. (system is null ? [] : new[] { new Message(Roles.System, system) }), new Message(Roles.User, Question(topic))], answer, []);

    /// <summary>Twenty training conversations and t20, a near-copy of t3 with one word changed.</summary>
    private static List<ChatRecord> TrainingSet() =>
        [.. Enumerable.Range(0, 20).Select(topic => Training(topic)), Training(3, ChangeWords(Paragraph(3), 100), "t20", 21)];

    private static List<GoldenItem> GoldenSet() =>
    [
        Golden("g-copy", Paragraph(1), 1),
        Golden("g-near", ChangeWords(Paragraph(5), 60), 5),
        Golden("g-near-two", ChangeWords(Paragraph(3), 40), 3),
        Golden("g-far", ChangeWords(Paragraph(7), [.. Enumerable.Range(0, 40).Select(i => 3 * i)]), 7),
        Golden("g-new", Paragraph(500), 500),
        Golden("g-system", Paragraph(9), 9, system: "You are a helpful assistant."),
        new GoldenItem("g-prompt-only", [new Message(Roles.User, Question(11))], null, []),
    ];

    private async Task<string> SaveIndex(string settings = "defaults")
    {
        var stage = StageFor(OptionsFor(settings, saveIndex: "train.index"));
        var run = await StagePipeline.RunAsync(stage, TrainingSet());
        Assert.Equal(Core.Runtime.RunStatus.Completed, run.Run.Status);
        return _temp.File("train.index");
    }

    private IStage StageFor(NearDedupOptions options)
    {
        Assert.True(new StageRegistry().AddDedupStages().TryGet(DedupStages.NearDedup, out var descriptor));
        return descriptor.Create(options, new StageBuildContext("near-dedup", _temp.Path, Seed: 7, OutputDirectory: _temp.Path));
    }

    public static TheoryData<string> Settings => ["defaults", "char-ngrams"];

    // The training index is saved with action: mark, so that it holds every training record, near-copies among them
    // (t20) too: with drop it would hold one record per cluster. Against it, near-copies are dropped.
    private static NearDedupOptions OptionsFor(string settings, string? saveIndex = null, string? against = null)
    {
        var action = saveIndex is null ? NearDedupAction.Drop : NearDedupAction.Mark;
        return settings == "defaults"
            ? new NearDedupOptions { SaveIndex = saveIndex, Against = against, Action = action }
            : new NearDedupOptions { CharNgram = 9, Lowercase = false, Threshold = 0.7, NumPerm = 64, SaveIndex = saveIndex, Against = against, Action = action };
    }

    private static ChatRecord AsRecord(GoldenItem item, int line)
    {
        var builder = Chat.Builder().WithId(item.Id).At("golden.jsonl", line);
        foreach (var message in item.Prompt)
        {
            builder.Add(message.Role, message.Content);
        }

        return (item.Expected is null ? builder : builder.Assistant(item.Expected)).Build();
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Leaks_AgreeWithWhatAgainstDrops_ForTheSameConversations(string settings)
    {
        var index = await SaveIndex(settings);
        var golden = GoldenSet();

        var leaks = LeakageCheck.Run(index, golden, OptionsFor(settings).Threshold);
        var against = await StagePipeline.RunAsync(StageFor(OptionsFor(settings, against: "train.index")), [.. golden.Select((item, i) => AsRecord(item, i + 1))]);

        var dropped = against.Rejects.Where(reject => reject.Stage == "near-dedup").ToDictionary(reject => reject.Record!.Id, reject => reject.Detail!);
        Assert.Equal(dropped.Keys.Order(StringComparer.Ordinal), leaks.Select(leak => leak.GoldenId).Distinct());
        foreach (var (goldenId, detail) in dropped)
        {
            var match = AgainstDetail().Match(detail);
            Assert.True(match.Success, detail);
            var best = leaks.Where(leak => leak.GoldenId == goldenId).ToList();
            Assert.Equal(match.Groups["jaccard"].Value, best[0].Jaccard.ToString("0.000", CultureInfo.InvariantCulture));
            Assert.Contains(match.Groups["id"].Value, best.Where(leak => leak.Jaccard == best[0].Jaccard).Select(leak => leak.TrainingId));
        }

        Assert.Equal(["g-copy", "g-near", "g-near-two", "g-system"], leaks.Select(leak => leak.GoldenId).Distinct());
        Assert.Equal(["t3", "t20"], leaks.Where(leak => leak.GoldenId == "g-near-two").Select(leak => leak.TrainingId).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public async Task Leaks_NameTheTrainingRecord_WithTheExactJaccard_InAFixedOrder()
    {
        var index = await SaveIndex();

        var leaks = LeakageCheck.Open(index).Find(GoldenSet());

        // Worked by hand: "tell me about topic N" and 120 distinct words make 121 word 5-grams; one word changed
        // away from the ends replaces 5 of them, so 116 are shared out of 126: 0.9206. The system turn adds 5 words
        // (5 more 5-grams, none shared) to 121 shared: 121 / 126.
        Assert.Equal(
            [
                new Leak("g-copy", "t1", 1.0),
                new Leak("g-near", "t5", 116.0 / 126),
                new Leak("g-near-two", "t3", 116.0 / 126),
                new Leak("g-near-two", "t20", 111.0 / 131),
                new Leak("g-system", "t9", 121.0 / 126),
            ],
            leaks);
    }

    [Fact]
    public async Task Index_MissingOrDamaged_IsRefusedInOneLine()
    {
        var index = await SaveIndex();
        var bytes = await File.ReadAllBytesAsync(index);
        _temp.Write("cut.index", bytes[..(bytes.Length / 2)]);
        _temp.Write("text.index", "not an index");

        foreach (var name in new[] { "missing.index", "cut.index", "text.index" })
        {
            var error = Assert.Throws<CurationException>(() => LeakageCheck.Run(_temp.File(name), GoldenSet()));
            Assert.StartsWith(_temp.File(name) + ": ", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    [Fact]
    public async Task Threshold_OutsideZeroToOne_IsRefused()
    {
        var check = LeakageCheck.Open(await SaveIndex());

        Assert.Throws<ArgumentOutOfRangeException>(() => check.Find(GoldenSet(), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => check.Find(GoldenSet(), 1.5));
        Assert.Equal(21, check.IndexedRecords);
    }

    [GeneratedRegex(@"^near-duplicate of (?<id>\S+) in train\.index, Jaccard (?<jaccard>\d\.\d{3})$")]
    private static partial Regex AgainstDetail();
}
