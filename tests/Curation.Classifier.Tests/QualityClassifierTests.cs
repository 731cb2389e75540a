using Curation.TestKit;

namespace Curation.Classifier.Tests;

public class QualityClassifierTests
{
    private static readonly string[] Topics = ["a hash map", "TCP slow start", "a B-tree", "garbage collection", "a mutex", "gradient descent", "DNS caching", "a bloom filter"];
    private static readonly string[] Good =
    [
        "works by {0} step by step: first it checks the input, then it explains why the result follows, for example with a small case.",
        "is best understood through an example. Because {0} keeps its invariant, each step stays cheap, and the explanation shows where the cost goes.",
        "can be explained in three steps, each with a reason and an example, so that you can apply {0} to your own data.",
    ];

    private static readonly string[] Bad =
    [
        "BUY NOW!!! cheap {0} click here click here best price free bonus",
        "lol idk {0} whatever google it",
        "{0} {0} {0} {0} {0} {0} {0} {0}",
    ];

    private static List<QualityExample> Examples(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var keep = i % 2 == 0;
            var topic = Topics[random.Next(Topics.Length)];
            var answer = string.Format(System.Globalization.CultureInfo.InvariantCulture, (keep ? Good : Bad)[random.Next(3)], topic);
            return new QualityExample { Text = ClassifierText.Of(Chat.Record($"Explain {topic}.", $"{topic} {answer}")), Label = keep };
        })];
    }

    [Theory]
    [InlineData(ClassifierAlgorithm.Linear)]
    [InlineData(ClassifierAlgorithm.FastTree)]
    public void SeparableData_IsLearned_AndUnseenExamplesScoreOnTheRightSide(ClassifierAlgorithm algorithm)
    {
        using var temp = new TempFolder();
        var model = temp.File("models/quality.zip");

        var report = QualityModel.Train(Examples(400, seed: 1), algorithm, testFraction: 0.25, seed: 3, model);
        var scorer = new QualityScorer(model);

        Assert.True(report.Auc > 0.95, $"AUC {report.Auc}");
        Assert.True(report.TestRows is > 50 and < 150, $"{report.TestRows} held out");
        var unseen = Examples(40, seed: 99);
        Assert.All(unseen, example => Assert.Equal(example.Label, scorer.Score(example.Text) >= 0.5));
    }

    [Fact]
    public void Training_IsReproducible()
    {
        using var temp = new TempFolder();
        var examples = Examples(200, seed: 5);

        var first = QualityModel.Train(examples, ClassifierAlgorithm.Linear, 0.2, 7, temp.File("a.zip"));
        var second = QualityModel.Train(examples, ClassifierAlgorithm.Linear, 0.2, 7, temp.File("b.zip"));

        Assert.Equal(first, second);
        var probe = Examples(5, seed: 11).Select(e => e.Text).ToArray();
        Assert.Equal(probe.Select(new QualityScorer(temp.File("a.zip")).Score), probe.Select(new QualityScorer(temp.File("b.zip")).Score));
    }

    [Fact]
    public void Stage_KeepsTheScoreInMetadata_AndDropsUnderTheThreshold()
    {
        using var temp = new TempFolder();
        QualityModel.Train(Examples(300, seed: 2), ClassifierAlgorithm.Linear, 0.2, 1, temp.File("q.zip"));
        var stage = new ClassifierStage(new ClassifierOptions { Model = "q.zip", Threshold = 0.5 }, new QualityScorer(temp.File("q.zip")), "classifier");
        var good = Chat.Record("Explain a mutex.", "a mutex " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Good[0], "a mutex"));
        var bad = Chat.Record("Explain a mutex.", "a mutex " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Bad[0], "a mutex"));

        var kept = stage.Apply(good);
        var dropped = stage.Apply(bad);

        Assert.True(kept.Record!.Metadata["quality_score"].GetDouble() >= 0.5);
        Assert.Equal(ClassifierStage.LowScoreRule, dropped.Rule);
        Assert.Matches(@"^score 0\.\d{4} < threshold 0\.5$", dropped.Detail);
        var counters = new Core.Stats.StageCounters("classifier");
        stage.Report(counters);
        Assert.StartsWith("scores (probability of keep): 0.0–0.1: ", Assert.Single(counters.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void NotAModel_IsAClearError()
    {
        using var temp = new TempFolder();
        var path = temp.Write("model.zip", "not a zip");

        var error = Assert.Throws<Core.CurationException>(() => new QualityScorer(path));

        Assert.Contains("not a quality classifier model", error.Message, StringComparison.Ordinal);
    }
}
