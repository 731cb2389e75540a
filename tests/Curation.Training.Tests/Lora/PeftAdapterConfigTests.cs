using System.Text.Json.Nodes;
using Curation.Core;
using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Lora;
using Curation.Training.Tests.Reference;
using Xunit.Abstractions;

namespace Curation.Training.Tests.Lora;

/// <summary>
/// PEFT adapter_config keys that change what an adapter computes: rank_pattern, alpha_pattern, target_modules as a
/// pattern or all-linear, exclude_modules, layers_to_transform and layers_pattern, each checked against the plain
/// PyTorch reference, which merges the adapter with PEFT's rules; the rest refused by name.
/// </summary>
public sealed class PeftAdapterConfigTests(ITestOutputHelper output)
{
    private static readonly LoraOptions Patterns = new()
    {
        Rank = 4,
        Alpha = 8,
        Dropout = 0,
        RankPattern = [new("q_proj", 2), new(@"layers\.1\.mlp\.down_proj", 6)],
        AlphaPattern = [new("v_proj", 64), new("model.layers.3.self_attn.o_proj", 1), new("o_proj", 24)],
    };

    /// <summary>The options, the modules they must adapt ([layer] suffix), and the model.</summary>
    public static TheoryData<string> Cases => ["rank-and-alpha-patterns", "target-regex", "all-linear-layers", "exclude-and-layers-pattern", "gpt2-layers-pattern-h", "phi3-regex-gate-up"];

    private static (JsonObject Config, LoraOptions Options, string[] Expected) Case(string name) => name switch
    {
        "rank-and-alpha-patterns" => (TinyCheckpoints.Llama(), Patterns, Modules("model.layers.{0}.", [0, 1, 2, 3], "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")),
        "target-regex" => (TinyCheckpoints.Qwen3(), new LoraOptions { Rank = 4, Alpha = 16, Dropout = 0, TargetPattern = @".*\.layers\.[13]\.self_attn\.(q|v)_proj" }, Modules("model.layers.{0}.", [1, 3], "self_attn.q_proj", "self_attn.v_proj")),
        "all-linear-layers" => (TinyCheckpoints.Mistral(slidingWindow: 5), new LoraOptions { Rank = 3, Alpha = 5, Dropout = 0, TargetPattern = "all-linear", LayersToTransform = [0, 2] }, Modules("model.layers.{0}.", [0, 2], "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")),
        "exclude-and-layers-pattern" => (TinyCheckpoints.Llama(), new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = ["q_proj", "down_proj"], ExcludeModules = ["layers.2.mlp.down_proj"], LayersToTransform = [2, 3], LayersPattern = ["layers"] }, ["model.layers.2.self_attn.q_proj", "model.layers.3.mlp.down_proj", "model.layers.3.self_attn.q_proj"]),
        "gpt2-layers-pattern-h" => (TinyCheckpoints.Gpt2(), new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = ["c_attn", "c_fc"], LayersToTransform = [1], LayersPattern = ["h"], AlphaPattern = [new("c_fc", 40)] }, ["transformer.h.1.attn.c_attn", "transformer.h.1.mlp.c_fc"]),
        _ => (TinyCheckpoints.Phi3(), new LoraOptions { Rank = 2, Alpha = 4, Dropout = 0, TargetPattern = @"model\.layers\.\d+\.mlp\.gate_up_proj", RankPattern = [new(@"layers\.0\.mlp\.gate_up_proj", 5)] }, Modules("model.layers.{0}.", [0, 1, 2, 3], "mlp.gate_up_proj")),
    };

    private static string[] Modules(string layerFormat, int[] layers, params string[] names) =>
        [.. layers.SelectMany(layer => names.Select(n => string.Format(System.Globalization.CultureInfo.InvariantCulture, layerFormat, layer) + n)).Order(StringComparer.Ordinal)];

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Adapter_SelectsPeftsModules_WithTheirRankAndAlpha_AndMatchesTheReference(string name)
    {
        var (config, options, expected) = Case(name);
        using var folder = new TempFolder();
        var checkpoint = TinyCheckpoints.Write(folder.File("m"), config, seed: 21);
        using var model = Checkpoint.Open(checkpoint).LoadModel();

        var adapted = LoraAdapter.Attach(model, options);

        Assert.Equal(expected, adapted.Order(StringComparer.Ordinal));
        LoraAdapterTests.Randomise(model, 6);
        var logits = PlainTorchReference.Logits(model);
        LoraAdapter.Save(model, options, folder.File("adapter"), checkpoint);
        using var reloaded = Checkpoint.Open(checkpoint).LoadModel();
        var loadedOptions = LoraAdapter.Load(reloaded, folder.File("adapter"));
        Assert.Equal(expected.Select(options.RankOf), expected.Select(loadedOptions.RankOf));
        Assert.Equal(expected.Select(options.ScalingOf), expected.Select(loadedOptions.ScalingOf));
        Assert.True(PlainTorchReference.MaxDifference(logits, PlainTorchReference.Logits(reloaded)) < 1e-6);

        Skip.If(PlainTorchReference.PythonWithTorch is null, PlainTorchReference.Missing + ": the reference comparison did not run");
        var reference = PlainTorchReference.Run(checkpoint, folder.Path, folder.File("adapter")).Logits;
        var difference = PlainTorchReference.MaxDifference(reference, logits);
        output.WriteLine($"{name}: {adapted.Count} modules adapted; max |logit difference| vs reference {difference:E2}");
        Assert.True(difference < PlainTorchReference.Tolerance, $"differs from the reference by {difference}");
    }

    /// <summary>alpha_pattern was once ignored: with it dropped, the logits move far beyond the tolerance.</summary>
    [SkippableFact]
    public void AlphaPattern_WrittenByPeftWithRegexKeys_IsHonoured()
    {
        using var folder = new TempFolder();
        var checkpoint = TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama(), seed: 22);
        using (var model = Checkpoint.Open(checkpoint).LoadModel())
        {
            var plain = new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0 };
            LoraAdapter.Attach(model, plain);
            LoraAdapterTests.Randomise(model, 7);
            LoraAdapter.Save(model, plain, folder.File("adapter"), checkpoint);
        }

        // As PEFT would write it: regex keys, first match wins.
        var configPath = folder.File($"adapter/{LoraAdapter.ConfigFile}");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["alpha_pattern"] = new JsonObject { [@"layers\.[02]\.self_attn\.k_proj"] = 128, ["k_proj"] = 2, ["mlp\\..*_proj"] = 40 };
        File.WriteAllText(configPath, config.ToJsonString());
        var withoutPattern = folder.File("no-pattern");
        Directory.CreateDirectory(withoutPattern);
        File.Copy(folder.File($"adapter/{LoraAdapter.WeightsFile}"), Path.Combine(withoutPattern, LoraAdapter.WeightsFile));
        config["alpha_pattern"] = new JsonObject();
        File.WriteAllText(Path.Combine(withoutPattern, LoraAdapter.ConfigFile), config.ToJsonString());

        using var loaded = Checkpoint.Open(checkpoint).LoadModel();
        var options = LoraAdapter.Load(loaded, folder.File("adapter"));
        Assert.Equal(128.0 / 4, options.ScalingOf("model.layers.2.self_attn.k_proj"));
        Assert.Equal(2.0 / 4, options.ScalingOf("model.layers.1.self_attn.k_proj"));
        Assert.Equal(40.0 / 4, options.ScalingOf("model.layers.3.mlp.up_proj"));
        Assert.Equal(8.0 / 4, options.ScalingOf("model.layers.3.self_attn.q_proj"));
        var logits = PlainTorchReference.Logits(loaded);

        Skip.If(PlainTorchReference.PythonWithTorch is null, PlainTorchReference.Missing + ": the reference comparison did not run");
        var reference = PlainTorchReference.Run(checkpoint, folder.Path, folder.File("adapter")).Logits;
        var ignoringPattern = PlainTorchReference.Run(checkpoint, folder.Path, withoutPattern).Logits;
        var difference = PlainTorchReference.MaxDifference(reference, logits);
        var ignored = PlainTorchReference.MaxDifference(reference, ignoringPattern);
        output.WriteLine($"alpha_pattern honoured: max |logit difference| {difference:E2}; ignoring it would be off by {ignored:F2}");
        Assert.True(difference < PlainTorchReference.Tolerance, $"differs from the reference by {difference}");
        Assert.True(ignored > 0.1, "the pattern should matter");
    }

    public static TheoryData<string, string> Refused => new()
    {
        { """{"use_dora": true}""", "use_dora true is not supported; only plain LoRA adapters load" },
        { """{"lora_bias": true}""", "lora_bias true is not supported; only plain LoRA adapters load" },
        { """{"bias": "lora_only"}""", "bias 'lora_only' is not supported; expected none (adapters that train biases are not implemented)" },
        { """{"modules_to_save": ["lm_head"]}""", "modules_to_save [\"lm_head\"] is not supported; expected null" },
        { """{"layer_replication": [[0, 2], [1, 3]]}""", "layer_replication [[0,2],[1,3]] is not supported; expected null" },
        { """{"trainable_token_indices": [5, 6]}""", "trainable_token_indices [5,6] is not supported; expected null" },
        { """{"target_modules": 7}""", "target_modules is 7; expected a list of module names or one pattern" },
        { """{"target_modules": null}""", "target_modules is missing; expected module names or a pattern" },
        { """{"peft_type": "IA3"}""", "peft_type is 'IA3'; expected LORA" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void UnsupportedKey_IsOneLineNamingTheFileKeyAndValue(string changes, string expected)
    {
        using var folder = new TempFolder();
        var config = PeftAdapterConfig.For(new LoraOptions(), ModelArchitecture.Llama, [], "base");
        foreach (var (key, value) in JsonNode.Parse(changes)!.AsObject())
        {
            config[key] = value?.DeepClone();
        }

        var path = folder.Write(LoraAdapter.ConfigFile, config.ToJsonString());

        var error = Assert.Throws<CurationException>(() => PeftAdapterConfig.Read(path));

        Assert.Equal($"{path}: {expected}", error.Message);
    }

    [Fact]
    public void SelectionThatMatchesNothing_IsOneLine()
    {
        using var folder = new TempFolder();
        var checkpoint = TinyCheckpoints.Write(folder.File("m"), TinyCheckpoints.Llama());
        using var a = Checkpoint.Open(checkpoint).LoadModel();
        using var b = Checkpoint.Open(checkpoint).LoadModel();

        var layers = Assert.Throws<CurationException>(() => LoraAdapter.Attach(a, new LoraOptions { LayersToTransform = [7] }));
        var pattern = Assert.Throws<CurationException>(() => LoraAdapter.Attach(b, new LoraOptions { TargetPattern = "q_proj" }));

        Assert.Equal("LoRA layers_to_transform [7] selects no layer of this llama model (4 layers)", layers.Message);
        Assert.Equal("LoRA target_modules 'q_proj' matches no projection of this llama model; it has down_proj, gate_proj, k_proj, o_proj, q_proj, up_proj, v_proj", pattern.Message);
    }

    [Fact]
    public void Save_WritesPatternsLayersAndTargetsAsPeftReadsThem()
    {
        var options = new LoraOptions { TargetPattern = "all-linear", LayersToTransform = [0, 2], LayersPattern = ["layers"], RankPattern = [new("q_proj", 2)], AlphaPattern = [new("v_proj", 3.5)] };

        var config = PeftAdapterConfig.For(options, ModelArchitecture.Phi3, ["model.layers.0.self_attn.qkv_proj", "model.layers.0.mlp.down_proj", "model.layers.2.self_attn.qkv_proj"], "base");

        Assert.Equal("""["down_proj","qkv_proj"]""", config["target_modules"]!.ToJsonString());
        Assert.Equal("[0,2]", config["layers_to_transform"]!.ToJsonString());
        Assert.Equal("""["layers"]""", config["layers_pattern"]!.ToJsonString());
        Assert.Equal("""{"q_proj":2}""", config["rank_pattern"]!.ToJsonString());
        Assert.Equal("""{"v_proj":3.5}""", config["alpha_pattern"]!.ToJsonString());
        Assert.Equal(".*attn.*", PeftAdapterConfig.For(options with { TargetPattern = ".*attn.*" }, ModelArchitecture.Llama, [], "base")["target_modules"]!.GetValue<string>());
    }
}
