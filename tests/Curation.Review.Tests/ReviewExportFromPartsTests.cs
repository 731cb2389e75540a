using System.Globalization;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;
using Curation.Review.Decisions;
using Curation.Review.Queue;
using Curation.TestKit;

namespace Curation.Review.Tests;

/// <summary>
/// <c>review-export</c> built from parts of the input (as shard tasks run it: each part selects alone and saves what
/// it holds, the merge adds the parts in order) writes the export, records the batch and notes what one stage offered
/// the whole input does, for every selector, sizes smaller and larger than the input, ties and repeated ids.
/// </summary>
public sealed class ReviewExportFromPartsTests : IDisposable
{
    private static readonly string[] Files = ["big.jsonl", "medium.jsonl", "tiny.jsonl"];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, int, int> Selections() => new()
    {
        { "random", 1, 1 },
        { "random", 7, 2 },
        { "random-source", 10, 3 },
        { "random-source", 2, 5 },
        { "random-stage", 9, 4 },
        { "random-stage", 5000, 3 },
        { "score", 6, 3 },
        { "rules", 4, 4 },
        { "all", 6, 3 },
        { "all", 6, 1 },
        { "all", 3000, 5 },
        { "argilla", 12, 2 },
    };

    [Theory]
    [MemberData(nameof(Selections))]
    public void FromParts_TheExportBatchAndNoteAreTheWholeInputs(string selection, int size, int parts)
    {
        var options = Options(selection, size);
        var input = Input(seed: size + parts);
        var whole = Export("whole", options, [input]);

        var random = new Random(parts * 31 + size);
        var cuts = Enumerable.Range(0, parts - 1).Select(_ => random.Next(input.Count + 1)).Append(0).Append(input.Count).Order().ToList();
        var pieces = cuts.Zip(cuts.Skip(1), (start, end) => input.Skip(start).Take(end - start).ToList()).ToList();
        var fromParts = Export("parts", options, pieces);

        Assert.Equal(whole.Files.Keys, fromParts.Files.Keys);
        Assert.All(whole.Files, file => Assert.True(file.Value.AsSpan().SequenceEqual(fromParts.Files[file.Key]), $"{file.Key} differs"));
        Assert.Equal(whole.Batches, fromParts.Batches);
        Assert.Equal(whole.Note, fromParts.Note);
        Assert.NotEmpty(whole.Files);
    }

    [Fact]
    public void APartOfAnotherSelection_IsRefused()
    {
        var part = Stage(_temp.File("a"), Options("random", 5)).Save();
        var other = Stage(_temp.File("b"), Options("random", 6));

        var error = Assert.Throws<CurationException>(() => other.Add(part));

        Assert.Equal("stage 'review-export': a part selected by 'random 5, seed 11', not by 'random 6, seed 11': remove the work folder and run again", error.Message);
    }

    /// <summary>
    /// Each piece offered to a stage of its own with sequences from 0 (as a shard task numbers them), saved, its
    /// figures through JSON text (as a task's stats carry them), then added in order into a fresh stage with
    /// sequences following on, which finishes; one piece is offered to the finishing stage directly, as one process does.
    /// </summary>
    private (SortedDictionary<string, byte[]> Files, string Batches, string Note) Export(string name, ReviewExportOptions options, List<List<Envelope>> pieces)
    {
        var root = _temp.File(name);
        var finishing = Stage(root, options);
        if (pieces.Count == 1)
        {
            finishing.Offer([.. pieces[0]]);
        }
        else
        {
            long first = 0;
            foreach (var piece in pieces)
            {
                var task = Stage(root, options);
                task.Offer([.. piece.Select((envelope, i) => envelope with { Sequence = i })]);
                var saved = task.Save();
                var figures = JsonDocument.Parse(saved.Figures.GetRawText()).RootElement.Clone();
                finishing.Add(new CollectedPart([.. saved.Envelopes.Select(envelope => envelope with { Sequence = first + envelope.Sequence })], figures));
                first += piece.Count;
            }
        }

        var counters = new StageCounters("review-export");
        using (var outputs = new RunOutputs(finishing.Writes))
        {
            finishing.Finish(new StageContext { StageName = finishing.Name, Seed = 11, Workers = 1, FailFast = false, Counters = counters, Outputs = outputs });
            outputs.Commit();
        }

        var folder = Path.Combine(root, "review");
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [])
        {
            files[Path.GetRelativePath(folder, file)] = File.ReadAllBytes(file);
        }

        var batches = Path.Combine(root, "store", "batches.jsonl");
        return (files, File.Exists(batches) ? File.ReadAllText(batches) : string.Empty, counters.Notes.Single().Replace(DisplayPath.For(root), "ROOT", StringComparison.Ordinal));
    }

    private static ReviewExportStage Stage(string root, ReviewExportOptions options) =>
        new(options, DecisionStore.Open(Path.Combine(Path.GetFullPath(root), "store")), Path.Combine(Path.GetFullPath(root), "review"), 11, "review-export");

    private static ReviewExportOptions Options(string selection, int size) => selection switch
    {
        "random" => new ReviewExportOptions { Store = "store", Random = size },
        "random-source" => new ReviewExportOptions { Store = "store", Random = size, Stratify = Stratify.Source },
        "random-stage" => new ReviewExportOptions { Store = "store", Random = size, Stratify = Stratify.Stage },
        "score" => new ReviewExportOptions { Store = "store", ScoreCut = 0.5, ScoreMargin = 0.2, ScoreSize = size },
        "rules" => new ReviewExportOptions { Store = "store", Rules = ["refusal", "near-dedup", "duplicate-id"], RulesSize = size },
        "argilla" => new ReviewExportOptions { Store = "store", Tool = ReviewTool.Argilla, Random = size, Stratify = Stratify.Stage, ScoreCut = 0.5, Rules = ["refusal"], RulesSize = size },
        _ => new ReviewExportOptions { Store = "store", Random = size, Stratify = Stratify.Source, ScoreCut = 0.5, ScoreMargin = 0.05, ScoreSize = size, Rules = ["refusal", "duplicate-id"], RulesSize = size },
    };

    /// <summary>
    /// 1,200 envelopes: kept records of three files of very different sizes, with scores on a coarse grid (so many tie
    /// at the same distance from the cut), rejects of several stages and rules (a classifier's with its score in the
    /// detail), ids used twice (kept once, rejected as a duplicate id later), and unreadable lines with no record.
    /// </summary>
    private static List<Envelope> Input(int seed)
    {
        var random = new Random(seed);
        var envelopes = new List<Envelope>();
        for (var i = 0; i < 1200; i++)
        {
            var file = Files[random.Next(100) switch { < 80 => 0, < 98 => 1, _ => 2 }];
            var id = i % 97 == 5 && i > 100 ? $"r{i - 100}" : $"r{i}";
            var builder = Chat.Builder().WithId(id).At(file, i).User($"question {i}").Assistant($"answer {i}");
            var record = builder.Build();
            if (random.Next(3) > 0)
            {
                var score = random.Next(21) / 20.0;
                record = record with { Metadata = record.Metadata.SetItem("quality_score", JsonSerializer.SerializeToElement(score)) };
            }

            var (stage, rule, detail) = (id != $"r{i}", random.Next(10)) switch
            {
                (true, _) => ("read", "duplicate-id", $"id {id} was used first at {file}"),
                (_, 0) => ("instruction-quality", "refusal", "the answer refuses"),
                (_, 1) => ("near-dedup", "near-duplicate", "near-duplicate of r1 (a.jsonl), Jaccard 0.873"),
                (_, 2) => ("classifier", "low-quality-score", string.Create(CultureInfo.InvariantCulture, $"score {random.Next(100) / 100.0:0.0000} < threshold 0.5")),
                _ => (null, null, null),
            };
            envelopes.Add(i % 211 == 17
                ? Envelope.Rejected(i, new Reject("read", "invalid-json", "not JSON", record.Source) { RawText = "{oops" })
                : stage is null ? Envelope.Kept(i, record) : Envelope.Rejected(i, new Reject(stage, rule!, detail!, record.Source) { Record = record }));
        }

        return envelopes;
    }
}
