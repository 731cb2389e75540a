using System.Text.Json;
using Curation.Core.Records;
using Curation.Review.Queue;
using Curation.TestKit;

namespace Curation.Review.Tests;

public sealed class SelectorTests
{
    private static ReviewCandidate Kept(int i, string file = "a.jsonl", double? score = null)
    {
        var record = Chat.Builder().WithId($"r{i}").At(file, i).User($"q{i}").Assistant($"a{i}").Build();
        if (score is { } s)
        {
            record = record with { Metadata = record.Metadata.SetItem("quality_score", JsonSerializer.SerializeToElement(s)) };
        }

        return new ReviewCandidate(record, i);
    }

    private static ReviewCandidate Rejected(int i, string stage, string rule, string detail = "why")
    {
        var record = Chat.Builder().WithId($"r{i}").User($"q{i}").Assistant($"a{i}").Build();
        return new ReviewCandidate(record, i, new Reject(stage, rule, detail, record.Source) { Record = record });
    }

    [Fact]
    public void Random_SameSeedSameSample_OtherSeedOther_InInputOrder()
    {
        IReadOnlyList<string> Sample(long seed)
        {
            var selector = new RandomSelector(10, Stratify.None, seed);
            for (var i = 0; i < 1000; i++)
            {
                selector.Offer(Kept(i));
            }

            return [.. selector.Selected().Select(s => s.Candidate.Record.Id)];
        }

        Assert.Equal(Sample(1), Sample(1));
        Assert.NotEqual(Sample(1), Sample(2));
        Assert.Equal(10, Sample(1).Count);
        Assert.Equal(Sample(1).OrderBy(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture)), Sample(1));
    }

    [Fact]
    public void Random_StratifiedBySource_SharesInProportion_EveryStratumGetsOne()
    {
        var selector = new RandomSelector(10, Stratify.Source, 3);
        for (var i = 0; i < 1000; i++)
        {
            selector.Offer(Kept(i, i < 700 ? "big.jsonl" : i < 995 ? "medium.jsonl" : "tiny.jsonl"));
        }

        var counts = selector.Selected().GroupBy(s => s.Candidate.Record.Source.File).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(new Dictionary<string, int> { ["big.jsonl"] = 6, ["medium.jsonl"] = 3, ["tiny.jsonl"] = 1 }, counts);
    }

    [Fact]
    public void Random_StratifiedByStage_KeptAndEachStagesRejects()
    {
        var selector = new RandomSelector(4, Stratify.Stage, 3);
        for (var i = 0; i < 100; i++)
        {
            selector.Offer(i % 10 == 0 ? Rejected(i, "near-dedup", "near-duplicate") : i % 10 == 1 ? Rejected(i, "pii", "pii") : Kept(i));
        }

        var stages = selector.Selected().Select(s => s.Candidate.Stage).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["kept", "kept", "near-dedup", "pii"], stages);
        Assert.All(selector.Selected(), s => Assert.StartsWith("random sample of stage ", s.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void ScoreBand_TakesTheClosestToTheCut_IncludingClassifierRejects()
    {
        var selector = new ScoreBandSelector("quality_score", 0.5, 0.1, 3, 1);
        selector.Offer(Kept(0, score: 0.9));
        selector.Offer(Kept(1, score: 0.58));
        selector.Offer(Kept(2, score: 0.51));
        selector.Offer(Rejected(3, "classifier", "low-quality-score", "score 0.4700 < threshold 0.5"));
        selector.Offer(Kept(4, score: 0.45));
        selector.Offer(Kept(5));

        var chosen = selector.Selected();

        Assert.Equal(["r2", "r3", "r4"], chosen.Select(c => c.Candidate.Record.Id));
        Assert.Equal("quality_score 0.4700 near the cut 0.5", chosen[1].Reason);
    }

    [Fact]
    public void Rules_MatchRuleOrStage_CappedBySize()
    {
        var selector = new RuleSelector(["refusal", "near-dedup"], 2, 1);
        selector.Offer(Rejected(0, "instruction-quality", "refusal", "starts with a refusal"));
        selector.Offer(Rejected(1, "pii", "pii"));
        selector.Offer(Rejected(2, "near-dedup", "near-duplicate"));
        selector.Offer(Kept(3));
        selector.Offer(Rejected(4, "near-dedup", "near-duplicate"));

        var chosen = selector.Selected();

        Assert.Equal(2, chosen.Count);
        Assert.All(chosen, c => Assert.True(c.Candidate.Reject!.Rule == "refusal" || c.Candidate.Reject.Stage == "near-dedup"));
    }
}
