using System.Text.Json.Nodes;
using Curation.Core;
using Curation.Training.Checkpoints;
using Curation.TestKit;
using TorchSharp;

namespace Curation.Training.Tests.Checkpoints;

public sealed class CheckpointTests
{
    private static float[] Weights(string folder, string name)
    {
        var checkpoint = Checkpoint.Open(folder);
        var (file, entry) = checkpoint.Tensors[name];
        return file.ReadFloats(entry);
    }

    [Fact]
    public void Sharded_LoadsTheSameModelAsSingle()
    {
        using var folder = new TempFolder();
        TinyCheckpoints.Write(folder.File("single"), TinyCheckpoints.Llama(), seed: 9);
        TinyCheckpoints.Write(folder.File("sharded"), TinyCheckpoints.Llama(), seed: 9, shardBytes: 30_000);

        Assert.True(File.Exists(folder.File($"sharded/{Checkpoint.IndexFile}")));
        Assert.True(Directory.GetFiles(folder.File("sharded"), "model-*-of-*.safetensors").Length > 2);
        using var single = Checkpoint.Open(folder.File("single")).LoadModel();
        using var sharded = Checkpoint.Open(folder.File("sharded")).LoadModel();
        var a = single.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        var b = sharded.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a, p => Assert.Equal(p.Value, b[p.Key]));
    }

    [Fact]
    public void Bf16_IsReadAsFloat32_RoundedAsTorchRounds()
    {
        using var folder = new TempFolder();
        TinyCheckpoints.Write(folder.File("f32"), TinyCheckpoints.Llama(), seed: 3);
        TinyCheckpoints.Write(folder.File("bf16"), TinyCheckpoints.Llama(), seed: 3, dtype: TensorDType.BF16);

        var full = Weights(folder.File("f32"), "model.layers.0.mlp.up_proj.weight");
        var half = Weights(folder.File("bf16"), "model.layers.0.mlp.up_proj.weight");

        Assert.Equal(TensorDType.BF16, Checkpoint.Open(folder.File("bf16")).Tensors["model.norm.weight"].Entry.DType);
        Assert.Equal(full.Length, half.Length);
        Assert.All(full.Zip(half), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= Math.Abs(pair.First) / 128, $"{pair.First} vs {pair.Second}"));
        using var rounded = torch.tensor(full).to(torch.bfloat16).to(torch.float32);
        Assert.Equal(rounded.data<float>().ToArray(), half);
    }

    [Fact]
    public void Tied_HasNoHead_Untied_NeedsOne()
    {
        using var folder = new TempFolder();
        TinyCheckpoints.Write(folder.File("tied"), TinyCheckpoints.Llama(tied: true));
        Assert.DoesNotContain("lm_head.weight", Checkpoint.Open(folder.File("tied")).Tensors.Keys);
        using (Checkpoint.Open(folder.File("tied")).LoadModel())
        {
        }

        // The same weights under a config that says the head is separate: the head is missing.
        var untied = TinyCheckpoints.Llama(tied: false);
        File.WriteAllText(folder.File("tied/config.json"), untied.ToJsonString());
        var error = Assert.Throws<CurationException>(() => Checkpoint.Open(folder.File("tied")).LoadModel());
        Assert.Equal($"{folder.File("tied")}: tensor 'lm_head.weight' (shape [97, 64]) is missing from the checkpoint", error.Message);
    }

    [Fact]
    public void WrongShape_NamesTheTensorAndBothShapes()
    {
        using var folder = new TempFolder();
        TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama());
        var config = TinyCheckpoints.Llama();
        config["intermediate_size"] = 96;
        File.WriteAllText(folder.File("m/config.json"), config.ToJsonString());

        var error = Assert.Throws<CurationException>(() => Checkpoint.Open(folder.File("m")).LoadModel());

        Assert.Equal($"{folder.File("m")}: tensor 'model.layers.0.mlp.down_proj.weight' has shape [64, 128]; config.json implies [64, 96]", error.Message);
    }

    [Fact]
    public void MissingTensor_IsNamed()
    {
        using var folder = new TempFolder();
        TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Gpt2());
        var checkpoint = Checkpoint.Open(folder.File("m"));
        var kept = checkpoint.Tensors.Where(t => t.Key != "transformer.h.1.mlp.c_fc.bias")
            .Select(t => (t.Key, t.Value.Entry.Shape, t.Value.File.ReadFloats(t.Value.Entry))).ToList();
        SafetensorsFile.Write(folder.File($"m/{Checkpoint.SingleFile}"), kept);

        var error = Assert.Throws<CurationException>(() => Checkpoint.Open(folder.File("m")).LoadModel());

        Assert.Equal($"{folder.File("m")}: tensor 'transformer.h.1.mlp.c_fc.bias' (shape [192]) is missing from the checkpoint", error.Message);
    }

    [Fact]
    public void Gpt2_HubNamesWithoutPrefix_AndMaskBuffers_Load()
    {
        using var folder = new TempFolder();
        TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Gpt2());
        var checkpoint = Checkpoint.Open(folder.File("m"));
        var renamed = checkpoint.Tensors.Select(t => (t.Key["transformer.".Length..], t.Value.Entry.Shape, t.Value.File.ReadFloats(t.Value.Entry))).ToList();
        renamed.Add(("h.0.attn.bias", [1, 1, 32, 32], new float[32 * 32]));
        SafetensorsFile.Write(folder.File($"m/{Checkpoint.SingleFile}"), renamed);

        using var model = Checkpoint.Open(folder.File("m")).LoadModel();

        Assert.Equal(Weights(folder.File("m"), "wte.weight"), model.named_parameters().Single(p => p.name == "transformer.wte.weight").parameter.data<float>().ToArray());
    }

    [Fact]
    public void UnknownModelType_AndTruncatedFile_AreClearErrors()
    {
        using var folder = new TempFolder();
        TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama());
        var weights = folder.File($"m/{Checkpoint.SingleFile}");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);

        var truncated = Assert.Throws<CurationException>(() => Checkpoint.Open(folder.File("m")));
        Assert.Contains("the file is truncated or damaged", truncated.Message, StringComparison.Ordinal);

        File.WriteAllText(folder.File("m/config.json"), new JsonObject { ["model_type"] = "bert" }.ToJsonString());
        var unknown = Assert.Throws<CurationException>(() => Checkpoint.Open(folder.File("m")));
        Assert.Equal($"{folder.File("m/config.json")}: model_type 'bert' is not supported; expected llama, mistral, qwen2, qwen3, phi3 or gpt2", unknown.Message);
    }
}
