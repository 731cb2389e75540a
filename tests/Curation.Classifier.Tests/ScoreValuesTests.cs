using System.Text.Json;

namespace Curation.Classifier.Tests;

public class ScoreValuesTests
{
    [Fact]
    public void EveryRoundedScore_IsTheSerializersValue()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 2000).Select(_ => Math.Round(random.NextDouble(), 4))
            .Concat([0, 1, 0.5, 0.0001, 0.9999, -0.0, 0.12345, 1.5, -0.25, double.Epsilon]);
        foreach (var score in scores)
        {
            Assert.Equal(JsonSerializer.SerializeToElement(score).GetRawText(), ScoreValues.Of(score).GetRawText());
            Assert.Equal(JsonSerializer.SerializeToElement(score).GetRawText(), ScoreValues.Of(score).GetRawText());
        }
    }
}
