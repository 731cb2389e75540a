using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Generation;
using Curation.Training.Models;
using Curation.Training.Tests.Training;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Generation;

public sealed class TextGeneratorTests
{
    [Theory]
    [InlineData(ModelArchitecture.Llama, ModelPreset.Tiny)]
    [InlineData(ModelArchitecture.Gpt2, ModelPreset.Tiny)]
    [InlineData(ModelArchitecture.Llama, ModelPreset.Small)]
    [InlineData(ModelArchitecture.Gpt2, ModelPreset.Small)]
    public void CachedGreedyGeneration_EqualsRecomputingEveryPosition(ModelArchitecture architecture, ModelPreset preset)
    {
        using var folder = new TempFolder();
        var (modelFolder, encoder) = TrainingTestData.Model(folder, architecture, preset);
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        var generator = new TextGenerator(model, encoder.Tokenizer, encoder.Template, CPU);
        var prompt = encoder.Tokenizer.Encode(encoder.Template.Render(Curation.TestKit.Chat.Messages(("user", "Tell me about rivers.")), addGenerationPrompt: true).Text);

        var cached = generator.Continue(prompt, new SamplingOptions(MaxNewTokens: 12));

        var ids = prompt.Select(id => (long)id).ToList();
        var expected = new List<int>();
        using (no_grad())
        {
            for (var i = 0; i < cached.Ids.Count; i++)
            {
                using var scope = NewDisposeScope();
                var next = (int)model.forward(tensor(ids.ToArray(), [1, ids.Count]))[0, -1].argmax().item<long>();
                expected.Add(next);
                ids.Add(next);
            }
        }

        Assert.Equal(12, cached.Ids.Count + (cached.StoppedAtEnd ? 12 - cached.Ids.Count : 0));
        Assert.Equal(expected, cached.Ids);
    }

    /// <summary>
    /// With four layers, every layer after the first must keep its own causal mask during the prompt pass: the
    /// logits at every prompt position, and at several positions added after cached ones, equal a plain forward pass.
    /// </summary>
    [Theory]
    [InlineData(ModelArchitecture.Llama)]
    [InlineData(ModelArchitecture.Gpt2)]
    public void CachedForward_EqualsThePlainForward_AtEveryPosition(ModelArchitecture architecture)
    {
        using var folder = new TempFolder();
        var (modelFolder, _) = TrainingTestData.Model(folder, architecture, ModelPreset.Small);
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        Assert.Equal(4, model.Config.Layers);
        model.eval();
        long[] ids = [11, 502, 77, 3001, 9, 640, 128, 4000, 55, 1234, 8, 300];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var plain = model.forward(tensor(ids, [1, ids.Length]));

        using var cache = new KeyValueCache(model.Config.Layers);
        var prefill = model.ForwardWithCache(tensor(ids[..8], [1, 8]), cache);
        var chunk = model.ForwardWithCache(tensor(ids[8..11], [1, 3]), cache);
        var single = model.ForwardWithCache(tensor(ids[11..], [1, 1]), cache);
        var cached = cat([prefill, chunk, single], 1);

        var difference = (cached - plain).abs().max().item<float>();
        Assert.True(difference < 1e-4, $"cached logits differ from the plain forward pass by {difference}");
    }

    [Fact]
    public void Sampling_IsSeeded()
    {
        using var folder = new TempFolder();
        var (modelFolder, encoder) = TrainingTestData.Model(folder);
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        var generator = new TextGenerator(model, encoder.Tokenizer, encoder.Template, CPU);
        var conversation = Curation.TestKit.Chat.Messages(("user", "Say something."));

        var a = generator.Reply(conversation, new SamplingOptions(16, Temperature: 1.0, TopP: 0.9, Seed: 5));
        var b = generator.Reply(conversation, new SamplingOptions(16, Temperature: 1.0, TopP: 0.9, Seed: 5));
        var c = generator.Reply(conversation, new SamplingOptions(16, Temperature: 1.0, TopP: 0.9, Seed: 6));

        Assert.Equal(a.Ids, b.Ids);
        Assert.NotEqual(a.Ids, c.Ids);
    }
}
