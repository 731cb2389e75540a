using Curation.Core;
using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Generation;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Generation;

public sealed class TokenDecoderTests
{
    /// <summary>GPT-2's learned positions end at n_positions (32 here): generation stops there instead of indexing past them.</summary>
    [Theory]
    [InlineData("gpt2", 29, 4)]
    [InlineData("gpt2", 32, 1)]
    [InlineData("llama", 60, 5)]
    public void Generation_StopsAtTheModelsLastPosition(string modelType, int promptLength, int expectedTokens)
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), modelType == "gpt2" ? TinyCheckpoints.Gpt2() : TinyCheckpoints.Llama())).LoadModel();
        var prompt = Enumerable.Range(0, promptLength).Select(i => (i * 7) % 50).ToList();

        var decoded = new TokenDecoder(model, CPU).Decode(prompt, new SamplingOptions(MaxNewTokens: 20), new HashSet<int>());

        Assert.Equal(StopReason.PositionLimit, decoded.Reason);
        Assert.Equal(expectedTokens, decoded.Ids.Count);
        Assert.Equal(model.Config.MaxPositions + 1, promptLength + expectedTokens);
    }

    [Theory]
    [InlineData("gpt2", "the prompt is 33 tokens; this gpt2 model has 32 positions (n_positions)")]
    [InlineData("llama", "the prompt is 65 tokens; this llama model has 64 positions (max_position_embeddings)")]
    public void PromptLongerThanThePositions_IsOneLine(string modelType, string expected)
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), modelType == "gpt2" ? TinyCheckpoints.Gpt2() : TinyCheckpoints.Llama())).LoadModel();
        var prompt = Enumerable.Repeat(3, model.Config.MaxPositions + 1).ToList();

        var error = Assert.Throws<CurationException>(() => new TokenDecoder(model, CPU).Decode(prompt, new SamplingOptions(MaxNewTokens: 4), new HashSet<int>()));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void TokenLimit_IsTheReasonWhenReached()
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Qwen3())).LoadModel();

        var decoded = new TokenDecoder(model, CPU).Decode([1, 2, 3], new SamplingOptions(MaxNewTokens: 4), new HashSet<int>());

        Assert.Equal((StopReason.TokenLimit, 4), (decoded.Reason, decoded.Ids.Count));
    }
}
