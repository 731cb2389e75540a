using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Training.Checkpoints;
using Curation.Training.Lora;
using Curation.Training.Models;
using Curation.Training.Tests.Reference;
using Curation.TestKit;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Lora;

public sealed class LoraAdapterTests(ITestOutputHelper output)
{
    private static float[] Logits(CausalLm model) => PlainTorchReference.Logits(model);

    private static double MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();

    // Training would move B away from zero; random values stand in for a trained adapter.
    internal static void Randomise(CausalLm model, long seed)
    {
        var generator = new Generator((ulong)seed);
        using var scale = 0.05.ToScalar();
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.Contains(".lora_B.", StringComparison.Ordinal)))
            {
                parameter.copy_(randn(parameter.shape, generator: generator) * scale);
            }
        }
    }

    [Fact]
    public void Attach_FreezesTheBase_AdaptsEveryProjection_LogitsUnchangedWhileBIsZero()
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama())).LoadModel();
        var before = Logits(model);

        var adapted = LoraAdapter.Attach(model, new LoraOptions { Rank = 4, Dropout = 0 });

        Assert.Equal(TinyCheckpoints.Layers * 7, adapted.Count);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(TinyCheckpoints.Layers * 7 * 2, trainable.Count);
        Assert.All(trainable, name => Assert.Matches(@"\.lora_[AB]\.weight$", name));
        Assert.Equal(before, Logits(model));
    }

    [Fact]
    public void Save_WritesPeftNamesShapesAndConfig()
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama())).LoadModel();
        var options = new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0.1, TargetModules = ["q_proj", "k_proj", "down_proj"] };
        LoraAdapter.Attach(model, options);

        LoraAdapter.Save(model, options, folder.File("adapter"), "tiny-llama");

        var weights = SafetensorsFile.Open(folder.File($"adapter/{LoraAdapter.WeightsFile}"));
        Assert.Equal(TinyCheckpoints.Layers * 3 * 2, weights.Tensors.Count);
        Assert.Equal([8L, 64], weights.Tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].Shape);
        Assert.Equal([64L, 8], weights.Tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"].Shape);
        Assert.Equal([32L, 8], weights.Tensors["base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"].Shape);
        Assert.Equal([8L, 128], weights.Tensors["base_model.model.model.layers.1.mlp.down_proj.lora_A.weight"].Shape);
        var config = JsonNode.Parse(File.ReadAllText(folder.File($"adapter/{LoraAdapter.ConfigFile}")))!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal("CAUSAL_LM", config["task_type"]!.GetValue<string>());
        Assert.Equal(8, config["r"]!.GetValue<int>());
        Assert.Equal(16, config["lora_alpha"]!.GetValue<double>());
        Assert.Equal(["down_proj", "k_proj", "q_proj"], config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.False(config["fan_in_fan_out"]!.GetValue<bool>());
        Assert.Equal("tiny-llama", config["base_model_name_or_path"]!.GetValue<string>());
    }

    [SkippableTheory]
    [InlineData("llama", false)]
    [InlineData("llama", true)]
    [InlineData("gpt2", false)]
    [InlineData("qwen3", false)]
    [InlineData("phi3", true)]
    public void AdapterLogits_EqualTheReferenceWithPeftsMerge_AndMergedWeightsEqualBasePlusAdapter(string architecture, bool rsLora)
    {
        using var folder = new TempFolder();
        var config = architecture switch
        {
            "gpt2" => TinyCheckpoints.Gpt2(),
            "qwen3" => TinyCheckpoints.Qwen3(),
            "phi3" => TinyCheckpoints.Phi3(),
            _ => TinyCheckpoints.Llama(),
        };
        var checkpoint = TinyCheckpoints.Write(folder.File("m"), config, seed: 11);
        using var model = Checkpoint.Open(checkpoint).LoadModel();
        var options = new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0, RsLora = rsLora };
        LoraAdapter.Attach(model, options);
        Randomise(model, 5);
        var adapted = Logits(model);
        LoraAdapter.Save(model, options, folder.File("adapter"), checkpoint);

        // Loaded into a fresh base model, the saved adapter gives the same logits.
        using var reloaded = Checkpoint.Open(checkpoint).LoadModel();
        LoraAdapter.Load(reloaded, folder.File("adapter"));
        Assert.True(MaxDifference(adapted, Logits(reloaded)) < 1e-6);

        // Merged into the weights and written as a checkpoint, the model computes the same.
        LoraAdapter.Merge(model);
        Checkpoint.WriteWeights(model, folder.File("merged"));
        File.Copy(Path.Combine(checkpoint, Checkpoint.ConfigFile), folder.File($"merged/{Checkpoint.ConfigFile}"));
        using var merged = Checkpoint.Open(folder.File("merged")).LoadModel();
        var mergedLogits = Logits(merged);
        Assert.True(MaxDifference(adapted, mergedLogits) < 1e-5, $"merged differs by {MaxDifference(adapted, mergedLogits)}");

        Skip.If(PlainTorchReference.PythonWithTorch is null, PlainTorchReference.Missing + ": the reference comparison did not run");

        var reference = PlainTorchReference.Run(checkpoint, folder.Path, folder.File("adapter")).Logits;
        var baseOnly = PlainTorchReference.Run(checkpoint, folder.Path).Logits;
        output.WriteLine($"{architecture} rsLoRA={rsLora}: adapter vs reference {MaxDifference(adapted, reference):E2}; the adapter moves logits by {MaxDifference(baseOnly, reference):E2}");
        Assert.True(MaxDifference(adapted, reference) < 1e-4);
        Assert.True(MaxDifference(baseOnly, reference) > 1e-2, "the adapter should change the logits");
    }

    [Fact]
    public void UnknownTarget_NamesTheProjectionsTheModelHas()
    {
        using var folder = new TempFolder();
        using var model = Checkpoint.Open(TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Gpt2())).LoadModel();

        var error = Assert.Throws<CurationException>(() => LoraAdapter.Attach(model, new LoraOptions { TargetModules = ["q_proj"] }));

        Assert.Equal("LoRA target module 'q_proj' matches no projection of this gpt2 model; it has c_attn, c_fc, c_proj", error.Message);
    }
}
