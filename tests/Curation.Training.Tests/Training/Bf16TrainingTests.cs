using Curation.Training.Checkpoints;
using Curation.Training.Data;
using Curation.Training.Lora;
using Curation.Training.Runtime;
using Curation.TestKit;
using TorchSharp;
using Xunit.Abstractions;

namespace Curation.Training.Tests.Training;

/// <summary>
/// bf16 on the CPU (libtorch computes bfloat16 there too), as it runs on a GPU: a bfloat16 base, float32 LoRA master
/// weights, the loss in float32; it learns as float32 does and writes a float32 adapter.
/// </summary>
public sealed class Bf16TrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void LoRA_InBf16_KeepsFloat32AdapterWeights_AndLearnsAsFloat32Does()
    {
        TorchRuntime.EnsureLoaded();
        using var folder = new TempFolder();
        var (modelFolder, encoder) = TrainingTestData.Model(folder);
        var (train, validation, _) = TrainingData.Build(TrainingTestData.Records(copies: 4), encoder, 64, Truncation.Drop, validationFraction: 0.2, seed: 1, pack: false);
        var losses = new Dictionary<ComputePrecision, (double Before, double After)>();
        foreach (var precision in new[] { ComputePrecision.Float32, ComputePrecision.BFloat16 })
        {
            using var model = Checkpoint.Open(modelFolder).LoadModel();
            var options = new TrainingOptions { Lora = new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0 }, LearningRate = 1e-2, WarmupSteps = 5, MaxSteps = 30, BatchSize = 8, EvaluateEvery = 30, Seed = 1, Precision = precision };
            var trainer = new Trainer(model, options, torch.CPU, modelFolder);
            var (before, _) = trainer.Evaluate(validation);
            var result = trainer.Run(train, validation, folder.File($"run-{precision}"), new NoObserver(), CancellationToken.None);
            losses[precision] = (before, result.FinalValidationLoss!.Value);
            output.WriteLine($"{precision}: validation loss {before:F4} -> {result.FinalValidationLoss:F4}");

            var parameters = model.named_parameters().ToList();
            Assert.All(parameters.Where(p => p.name.Contains("lora_", StringComparison.Ordinal)), p => Assert.Equal(torch.ScalarType.Float32, p.parameter.dtype));
            var baseType = precision == ComputePrecision.BFloat16 ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;
            Assert.All(parameters.Where(p => !p.name.Contains("lora_", StringComparison.Ordinal)), p => Assert.Equal(baseType, p.parameter.dtype));
        }

        var (before32, after32) = losses[ComputePrecision.Float32];
        var (before16, after16) = losses[ComputePrecision.BFloat16];
        Assert.True(after16 < before16 - 0.5, $"bf16 validation loss {before16} -> {after16}");
        Assert.InRange(before16, before32 - 0.02, before32 + 0.02);
        Assert.InRange(after16, after32 - 0.05, after32 + 0.05);
        using var reloaded = Checkpoint.Open(modelFolder).LoadModel();
        LoraAdapter.Load(reloaded, folder.File($"run-{ComputePrecision.BFloat16}/{Trainer.AdapterFolder}"));
    }

    [Fact]
    public void FullFineTuning_InBf16_IsRefused()
    {
        TorchRuntime.EnsureLoaded();
        using var folder = new TempFolder();
        var (modelFolder, _) = TrainingTestData.Model(folder);
        using var model = Checkpoint.Open(modelFolder).LoadModel();

        var error = Assert.Throws<Core.CurationException>(() => new Trainer(model, new TrainingOptions { Lora = null, Precision = ComputePrecision.BFloat16 }, torch.CPU, modelFolder));

        Assert.Equal("--precision bf16 trains LoRA adapters (float32 adapter weights over a bfloat16 base); full fine-tuning runs in fp32", error.Message);
    }
}

internal sealed class NoObserver : ITrainingObserver
{
    public void OnStep(StepMetrics metrics)
    {
    }

    public void OnValidation(ValidationMetrics metrics)
    {
    }

    public void OnCheckpoint(int step, string folder)
    {
    }
}
