using System.Text.Json.Nodes;
using Curation.Training.Checkpoints;
using Curation.Training.Tests.Reference;
using Curation.TestKit;
using Xunit.Abstractions;

namespace Curation.Training.Tests.Models;

/// <summary>
/// Our models against an independent plain-PyTorch implementation (Reference/reference_forward.py, float64, Debian's
/// python3-torch), on 4-layer checkpoints the test writes: the prompt's logits by a plain forward pass and through the
/// key/value cache in two pieces, and a greedy continuation (ours cached, the reference recomputing everything) by ids
/// and by each step's logits. Skipped with a message where python3-torch is absent.
/// </summary>
public sealed class ReferenceNumericsTests(ITestOutputHelper output)
{
    private const int Steps = 10;

    private static readonly Dictionary<string, (JsonObject Config, TensorDType DType, long? ShardBytes)> Checkpoints = new()
    {
        ["llama-gqa-llama3-rope"] = (TinyCheckpoints.Llama(), TensorDType.F32, null),
        ["llama-tied-mha-gelu-tanh"] = (TinyCheckpoints.Llama(tied: true, llama3Scaling: false, keyValueHeads: 4).With(("hidden_act", "gelu_pytorch_tanh")), TensorDType.F32, null),
        ["llama-attention-and-mlp-bias-gelu"] = (TinyCheckpoints.Llama().With(("attention_bias", true), ("mlp_bias", true), ("hidden_act", "gelu")), TensorDType.F32, null),
        ["llama-rope-parameters"] = (TinyCheckpoints.Llama().Without("rope_theta", "rope_scaling").With(("rope_parameters", new JsonObject
        {
            ["rope_type"] = "llama3",
            ["rope_theta"] = 500000.0,
            ["factor"] = 8.0,
            ["low_freq_factor"] = 1.0,
            ["high_freq_factor"] = 4.0,
            ["original_max_position_embeddings"] = 16,
        })), TensorDType.F32, null),
        ["llama-bf16-sharded"] = (TinyCheckpoints.Llama(), TensorDType.BF16, 40_000),
        ["mistral-sliding-window"] = (TinyCheckpoints.Mistral(slidingWindow: 5), TensorDType.F32, null),
        ["qwen2-biases-tied"] = (TinyCheckpoints.Qwen2(), TensorDType.F32, null),
        ["qwen2-sliding-window-upper-layers"] = (TinyCheckpoints.Qwen2().With(("use_sliding_window", true), ("sliding_window", 4), ("max_window_layers", 2)), TensorDType.F32, null),
        ["qwen3-qk-norm-head-dim"] = (TinyCheckpoints.Qwen3(), TensorDType.F32, null),
        ["qwen3-bias-layer-types-window"] = (TinyCheckpoints.Qwen3().With(
            ("attention_bias", true), ("use_sliding_window", true), ("sliding_window", 6), ("layer_types", new JsonArray("full_attention", "sliding_attention", "full_attention", "sliding_attention"))), TensorDType.F32, null),
        ["phi3-fused"] = (TinyCheckpoints.Phi3(), TensorDType.F32, null),
        ["phi3-partial-rope-window-gelu-new"] = (TinyCheckpoints.Phi3().With(("partial_rotary_factor", 0.5), ("sliding_window", 5), ("hidden_act", "gelu_new")), TensorDType.F32, null),
        ["gpt2"] = (TinyCheckpoints.Gpt2(), TensorDType.F32, null),
        ["gpt2-inverse-layer-scale-gelu"] = (TinyCheckpoints.Gpt2().With(("scale_attn_by_inverse_layer_idx", true), ("reorder_and_upcast_attn", true), ("activation_function", "gelu")), TensorDType.F32, null),
        ["gpt2-unscaled-gelu-tanh"] = (TinyCheckpoints.Gpt2().With(("scale_attn_weights", false), ("activation_function", "gelu_pytorch_tanh")), TensorDType.F32, null),
    };

    public static TheoryData<string> Variants => [.. Checkpoints.Keys];

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void PromptLogits_CachedLogits_AndGreedyGeneration_MatchThePlainPyTorchReference(string variant)
    {
        Skip.If(PlainTorchReference.PythonWithTorch is null, PlainTorchReference.Missing);

        using var folder = new TempFolder();
        var (config, dtype, shardBytes) = Checkpoints[variant];
        var seed = Array.IndexOf([.. Checkpoints.Keys], variant) + 1;
        var modelFolder = TinyCheckpoints.Write(folder.File("m"), config, seed: seed, dtype: dtype, shardBytes: shardBytes);
        var reference = PlainTorchReference.Run(modelFolder, folder.Path, generateSteps: Steps);
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        Assert.Equal(TinyCheckpoints.Layers, model.Config.Layers);

        var prompt = PlainTorchReference.MaxDifference(reference.Logits, PlainTorchReference.Logits(model));
        var cached = PlainTorchReference.MaxDifference(reference.Logits, PlainTorchReference.CachedLogits(model));
        var (ids, stepLogits) = PlainTorchReference.Greedy(model, Steps);
        var steps = PlainTorchReference.MaxDifference(reference.StepLogits, stepLogits);

        output.WriteLine($"{variant}: max |logit difference| prompt {prompt:E2}, cached prompt {cached:E2}, {Steps} greedy steps {steps:E2}; logit scale {reference.Logits.Max(Math.Abs):F3}");
        Assert.True(prompt < PlainTorchReference.Tolerance, $"prompt logits differ by {prompt}");
        Assert.True(cached < PlainTorchReference.Tolerance, $"cached prompt logits differ by {cached}");
        Assert.Equal(reference.GeneratedIds, ids);
        Assert.True(steps < PlainTorchReference.Tolerance, $"greedy step logits differ by {steps}");
    }
}

/// <summary>
/// bfloat16 inference (<c>--precision bf16</c>) against the same float64 reference: within bfloat16's precision of
/// the exact logits, with the same most likely token at nearly every position.
/// </summary>
public sealed class Bf16ReferenceNumericsTests(ITestOutputHelper output)
{
    public static TheoryData<string> Variants => ["llama", "qwen3", "gpt2"];

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void Bf16PromptLogits_AreWithinBf16PrecisionOfTheReference(string variant)
    {
        Skip.If(PlainTorchReference.PythonWithTorch is null, PlainTorchReference.Missing);
        using var folder = new TempFolder();
        var config = variant switch { "llama" => TinyCheckpoints.Llama(), "qwen3" => TinyCheckpoints.Qwen3(), _ => TinyCheckpoints.Gpt2() };
        var modelFolder = TinyCheckpoints.Write(folder.File("m"), config, seed: 5, dtype: TensorDType.F32, shardBytes: null);
        var reference = PlainTorchReference.Run(modelFolder, folder.Path, generateSteps: 1);
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        Curation.Training.Runtime.PrecisionChoice.Apply(model, Curation.Training.Runtime.ComputePrecision.BFloat16);

        var logits = PlainTorchReference.Logits(model);

        var scale = reference.Logits.Max(Math.Abs);
        var difference = PlainTorchReference.MaxDifference(reference.Logits, logits);
        var vocabulary = model.Config.VocabSize;
        var positions = logits.Length / vocabulary;
        var sameTop = Enumerable.Range(0, positions).Count(p => ArgMax(logits, p * vocabulary, vocabulary) == ArgMax(reference.Logits, p * vocabulary, vocabulary));
        output.WriteLine($"{variant}: max |logit difference| {difference:E2} at logit scale {scale:F3}; same top token at {sameTop} of {positions} positions");
        Assert.True(difference < 0.05 * Math.Max(1, scale), $"bf16 logits differ by {difference} (scale {scale})");
        Assert.True(sameTop >= positions * 0.9, $"same top token at {sameTop} of {positions}");
    }

    private static int ArgMax(IReadOnlyList<float> values, int start, int count)
    {
        var best = start;
        for (var i = start + 1; i < start + count; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best - start;
    }
}
