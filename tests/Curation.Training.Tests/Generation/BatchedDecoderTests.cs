using System.Text.Json.Nodes;
using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Generation;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Generation;

public sealed class BatchedDecoderTests
{
    public static TheoryData<string, int> Presets() => new()
    {
        { "llama", 1 },
        { "llama", 3 },
        { "llama", 8 },
        { "qwen3", 8 },
        { "qwen2", 4 },
        { "phi3", 8 },
        { "mistral-window-8", 8 },
        { "gpt2", 3 },
        { "gpt2", 8 },
    };

    /// <summary>
    /// Prompts of different lengths decode side by side with left padding, leave at different steps (their own token
    /// limits, a stop id, the model's last position) and let waiting prompts in: every one gets, token for token, what
    /// it gets decoded alone.
    /// </summary>
    [Theory]
    [MemberData(nameof(Presets))]
    public void Greedy_InABatch_EqualsEachPromptDecodedAlone(string preset, int maxBatch)
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), Config(preset))).LoadModel();
        var requests = WithAStopIdTheFirstMeets(model, Requests(model.Config, count: 11, new SamplingOptions(), seed: 3));

        var batched = new BatchedDecoder(model, CPU, maxBatch).Decode(requests);

        var alone = requests.Select(request => new TokenDecoder(model, CPU).Decode(request.PromptIds, request.Options, request.StopIds)).ToList();
        Assert.Equal(alone.Select(Describe), batched.Select(Describe));
        Assert.Contains(batched, result => result.Reason == StopReason.EndMarker);
        Assert.Contains(batched, result => result.Reason == StopReason.TokenLimit);
    }

    /// <summary>
    /// Waiting prompts of very different lengths (1 to 50 tokens) are prefilled together, padded to the longest, and
    /// join rows that have decoded for a while (longer or shorter than them), several times over: every sequence
    /// still gets what it gets alone, greedy or sampled, and its cache keeps growing past its first allocation.
    /// </summary>
    [Theory]
    [InlineData("llama", 0.0)]
    [InlineData("llama", 0.8)]
    [InlineData("qwen2", 0.0)]
    [InlineData("mistral-window-8", 0.0)]
    [InlineData("gpt2", 0.0)]
    public void PromptsOfVeryDifferentLengths_JoiningMidway_EqualEachDecodedAlone(string preset, double temperature)
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), Config(preset))).LoadModel();
        var positions = model.Config.MaxPositions;
        var random = new Random(11);
        int[] promptLengths = [2, 3, positions - 14, 1, positions / 2, 5, positions - 2, 4, 1];
        int[] limits = [40, 2, 10, 30, 6, 25, 9, 3, 12];
        var requests = promptLengths.Select((length, i) => new DecodeRequest(
            [.. Enumerable.Range(0, length).Select(_ => random.Next(model.Config.VocabSize))],
            new SamplingOptions(MaxNewTokens: limits[i], Temperature: temperature, TopK: 30, Seed: 40 + i),
            new HashSet<int>())).ToList();

        var batched = new BatchedDecoder(model, CPU, 3).Decode(requests);

        var alone = requests.Select(request => new TokenDecoder(model, CPU).Decode(request.PromptIds, request.Options, request.StopIds)).ToList();
        Assert.Equal(alone.Select(Describe), batched.Select(Describe));
        Assert.Contains(batched, result => result.Reason == StopReason.PositionLimit);
        Assert.Contains(batched, result => result.Ids.Count > 16);
    }

    [Fact]
    public void Gpt2_RowsAtTheLastPosition_StopThere_WhileOthersGoOn()
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Gpt2())).LoadModel();
        var options = new SamplingOptions(MaxNewTokens: 20);
        DecodeRequest[] requests = [new([.. Enumerable.Range(1, 28)], options, new HashSet<int>()), new([5, 6], options, new HashSet<int>())];

        var batched = new BatchedDecoder(model, CPU, 2).Decode(requests);

        Assert.Equal((StopReason.PositionLimit, 5), (batched[0].Reason, batched[0].Ids.Count));
        Assert.Equal((StopReason.TokenLimit, 20), (batched[1].Reason, batched[1].Ids.Count));
        Assert.Equal(Describe(new TokenDecoder(model, CPU).Decode(requests[1].PromptIds, options, requests[1].StopIds)), Describe(batched[1]));
    }

    /// <summary>Each sequence samples with its own seeded generator: the batch it shares does not change its text.</summary>
    [Theory]
    [InlineData("llama")]
    [InlineData("gpt2")]
    public void Sampled_SameSeed_SameTokens_WhateverTheBatch(string preset)
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), Config(preset))).LoadModel();
        var requests = Requests(model.Config, count: 9, new SamplingOptions(Temperature: 0.9, TopP: 0.9, TopK: 20), seed: 5);

        var alone = new BatchedDecoder(model, CPU, 1).Decode(requests);
        var together = new BatchedDecoder(model, CPU, 9).Decode(requests);

        Assert.Equal(alone.Select(Describe), together.Select(Describe));
        var single = requests.Select(request => new TokenDecoder(model, CPU).Decode(request.PromptIds, request.Options, request.StopIds));
        Assert.Equal(single.Select(Describe), together.Select(Describe));
        Assert.True(together.Select(Describe).Distinct().Count() > 1, "different seeds should give different continuations");
    }

    [Fact]
    public void EveryKeptToken_IsStreamed_InOrder_ToItsRequest()
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Qwen3())).LoadModel();
        var requests = Requests(model.Config, count: 6, new SamplingOptions(), seed: 8);
        var streamed = requests.Select(_ => new List<int>()).ToArray();

        var results = new BatchedDecoder(model, CPU, 4).Decode(requests, (request, token) => streamed[request].Add(token));

        Assert.Equal(results.Select(result => result.Ids), streamed);
    }

    [Fact]
    public void APromptLongerThanThePositions_FailsBeforeAnyDecoding()
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Gpt2())).LoadModel();
        var tokens = 0;
        DecodeRequest[] requests = [new([1, 2, 3], new SamplingOptions(), new HashSet<int>()), new([.. Enumerable.Repeat(3, 33)], new SamplingOptions(), new HashSet<int>())];

        var error = Assert.Throws<Core.CurationException>(() => new BatchedDecoder(model, CPU, 2).Decode(requests, (_, _) => tokens++));

        Assert.Equal("the prompt is 33 tokens; this gpt2 model has 32 positions (n_positions)", error.Message);
        Assert.Equal(0, tokens);
    }

    private static JsonObject Config(string preset) => preset switch
    {
        "llama" => TinyCheckpoints.Llama(),
        "qwen3" => TinyCheckpoints.Qwen3(),
        "qwen2" => TinyCheckpoints.Qwen2(),
        "phi3" => TinyCheckpoints.Phi3(),
        "mistral-window-8" => TinyCheckpoints.Mistral(slidingWindow: 8),
        "gpt2" => TinyCheckpoints.Gpt2(),
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, null),
    };

    // Prompts of 1 to 24 tokens, limits of 3 to 24 new tokens, a stop id that some continuations meet.
    private static List<DecodeRequest> Requests(ModelConfig config, int count, SamplingOptions sampling, int seed)
    {
        var random = new Random(seed);
        var stopIds = new HashSet<int> { random.Next(config.VocabSize), random.Next(config.VocabSize), random.Next(config.VocabSize) };
        return [.. Enumerable.Range(0, count).Select(i => new DecodeRequest(
            [.. Enumerable.Range(0, random.Next(1, 25)).Select(_ => random.Next(config.VocabSize))],
            sampling with { MaxNewTokens = random.Next(3, 25), Seed = 100 + i },
            stopIds))];
    }

    // The first request's second greedy token ends it, and may end others: a stop that is certainly met.
    private static List<DecodeRequest> WithAStopIdTheFirstMeets(CausalLm model, List<DecodeRequest> requests)
    {
        var probe = new TokenDecoder(model, CPU).Decode(requests[0].PromptIds, requests[0].Options, new HashSet<int>());
        var stopIds = new HashSet<int> { probe.Ids[1] };
        return [.. requests.Select(request => request with { StopIds = stopIds })];
    }

    private static string Describe(DecodedIds decoded) => $"{decoded.Reason}: {string.Join(' ', decoded.Ids)}";
}
