using System.Text;
using Curation.Core.Records;
using Curation.IO.Formats;

namespace Curation.IO.Tests.Formats;

public sealed class FormatDetectorTests
{
    public static InputFormat? Detect(string json) => new FormatDetector().Detect(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"messages":[]}""", InputFormat.OpenAi)]
    [InlineData("""{"conversations":[]}""", InputFormat.ShareGpt)]
    [InlineData("""{"instruction":"i","input":"","output":"o"}""", InputFormat.Alpaca)]
    [InlineData("""{"prompt":"p","completion":"c"}""", InputFormat.PromptCompletion)]
    [InlineData("""{"text":"t","label":"x"}""", InputFormat.Text)]
    [InlineData("""{"instruction":"i","output":"o","text":"t"}""", InputFormat.Alpaca)]
    [InlineData("""{"messages":[],"conversations":[]}""", InputFormat.OpenAi)]
    [InlineData("""{"messages":"wrong type still says openai"}""", InputFormat.OpenAi)]
    public void Detect_KnownShape_ReturnsItsFormat(string json, InputFormat expected)
    {
        Assert.Equal(expected, Detect(json));
    }

    [Theory]
    [InlineData("""{"question":"q","answer":"a"}""")]
    [InlineData("[]")]
    [InlineData("""{"text": """)]
    [InlineData("")]
    public void Detect_NoKnownShapeOrNotAnObject_ReturnsNull(string json)
    {
        Assert.Null(Detect(json));
    }

    [Fact]
    public void Detect_WithFieldMapping_UsesTheMappedKeys()
    {
        var detector = new FormatDetector(new Dictionary<string, string> { ["prompt"] = "question", ["response"] = "answer" });

        Assert.Equal(InputFormat.PromptCompletion, detector.Detect("""{"question":"q","answer":"a"}"""u8));
    }
}
