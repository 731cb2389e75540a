using Curation.TestKit;
using Curation.Tokenization.ChatTemplates;
using Curation.Training.Checkpoints;
using Curation.Training.Data;
using Curation.Training.Lora;
using Curation.Training.Runtime;
using TorchSharp;
using Xunit.Abstractions;

namespace Curation.Training.Tests.Training;

public sealed class TrainerTests(ITestOutputHelper output)
{
    private sealed class Recorder : ITrainingObserver
    {
        public List<StepMetrics> Steps { get; } = [];

        public List<ValidationMetrics> Validations { get; } = [];

        public List<string> Checkpoints { get; } = [];

        public void OnStep(StepMetrics metrics) => Steps.Add(metrics);

        public void OnValidation(ValidationMetrics metrics) => Validations.Add(metrics);

        public void OnCheckpoint(int step, string folder) => Checkpoints.Add(folder);
    }

    [Fact]
    public void ModelInit_WritesALoadableModelWithARealTokenizerAndChatTemplate()
    {
        using var folder = new TempFolder();
        var (model, encoder) = TrainingTestData.Model(folder);

        using var loaded = Checkpoint.Open(model).LoadModel();
        var example = encoder.Encode(Curation.TestKit.Chat.Record("Hello there", "Hi!").Messages);

        Assert.IsType<JinjaChatTemplate>(encoder.Template);
        Assert.Equal(4097, example.Ids[0]);
        Assert.Equal(4098, example.Ids[^2]);
        Assert.Equal("<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\nHi!<|im_end|>\n", encoder.Tokenizer.Decode(example.Ids));
        var supervised = encoder.Tokenizer.Decode(example.Ids.Where((_, i) => example.Supervised[i]));
        Assert.Equal("Hi!<|im_end|>\n", supervised);
    }

    [Fact]
    public void LoRA_LearnsTheTask_LossAndValidationLossFall()
    {
        TorchRuntime.EnsureLoaded();
        using var folder = new TempFolder();
        var (modelFolder, encoder) = TrainingTestData.Model(folder);
        var (train, validation, report) = TrainingData.Build(TrainingTestData.Records(copies: 4), encoder, 64, Truncation.Drop, validationFraction: 0.2, seed: 1, pack: false);
        output.WriteLine(report.ToString());
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        var options = new TrainingOptions { Lora = new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0 }, LearningRate = 1e-2, WarmupSteps = 5, MaxSteps = 60, BatchSize = 8, EvaluateEvery = 30, Seed = 1 };
        var trainer = new Trainer(model, options, torch.CPU, modelFolder);
        var (before, _) = trainer.Evaluate(validation);
        var recorder = new Recorder();

        var result = trainer.Run(train, validation, folder.File("run"), recorder, CancellationToken.None);

        output.WriteLine($"validation loss {before:F3} -> {result.FinalValidationLoss:F3}; train loss {result.Losses[0]:F3} -> {result.Losses[^1]:F3}");
        // A random base with frozen embeddings learns slowly through a rank-8 adapter; it still must learn.
        Assert.True(result.FinalValidationLoss < before - 0.5, $"validation loss {before} -> {result.FinalValidationLoss}");
        Assert.True(result.Losses[^1] < result.Losses[0] - 0.5, $"train loss {result.Losses[0]} -> {result.Losses[^1]}");
        Assert.Equal(60, recorder.Steps.Count);
        Assert.Equal([0, 30, 60], recorder.Validations.Select(v => v.Step));
        Assert.True(File.Exists(folder.File($"run/{Trainer.AdapterFolder}/{LoraAdapter.WeightsFile}")));
        Assert.Equal(63, File.ReadAllLines(folder.File($"run/{Trainer.MetricsFile}")).Length);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Full_LearnsTheTask_ValidationLossFallsByHalf()
    {
        TorchRuntime.EnsureLoaded();
        using var folder = new TempFolder();
        var (modelFolder, encoder) = TrainingTestData.Model(folder);
        var (train, validation, _) = TrainingData.Build(TrainingTestData.Records(copies: 4), encoder, 64, Truncation.Drop, validationFraction: 0.2, seed: 1, pack: false);
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        var options = new TrainingOptions { Lora = null, LearningRate = 5e-3, WarmupSteps = 10, MaxSteps = 300, BatchSize = 8, EvaluateEvery = 0, Seed = 1 };
        var trainer = new Trainer(model, options, torch.CPU, modelFolder);
        var (before, _) = trainer.Evaluate(validation);

        var result = trainer.Run(train, validation, folder.File("run"), new Recorder(), CancellationToken.None);

        output.WriteLine($"full: validation loss {before:F3} -> {result.FinalValidationLoss:F3}; train loss {result.Losses[0]:F3} -> {result.Losses[^1]:F3}");
        Assert.True(result.FinalValidationLoss < before / 2, $"validation loss {before} -> {result.FinalValidationLoss}");

        // By generation: the trained model answers the questions it was trained on with the exact sentence.
        var generator = new Curation.Training.Generation.TextGenerator(model, encoder.Tokenizer, encoder.Template, torch.CPU);
        var answers = TrainingTestData.Facts.Select(f => generator.Reply(
            Curation.TestKit.Chat.Messages(("user", $"What is the capital of {f.Country}?")), new Curation.Training.Generation.SamplingOptions(24)).Text).ToList();
        var exact = answers.Zip(TrainingTestData.Facts).Count(p => p.First == $"The capital of {p.Second.Country} is {p.Second.Capital}.");
        output.WriteLine($"exact match after training: {exact}/{TrainingTestData.Facts.Length}; e.g. '{answers[0]}'");
        Assert.True(exact >= TrainingTestData.Facts.Length / 2, $"{exact} exact answers: {string.Join(" | ", answers)}");
        Assert.True(File.Exists(folder.File($"run/checkpoint-300/{Checkpoint.SingleFile}")));
    }

    [Fact]
    public void StoppedAndResumed_GivesTheSameLossesAsStraightThrough()
    {
        TorchRuntime.EnsureLoaded();
        using var folder = new TempFolder();
        var (modelFolder, encoder) = TrainingTestData.Model(folder);
        var (train, validation, _) = TrainingData.Build(TrainingTestData.Records(), encoder, 64, Truncation.Drop, 0.0, 1, pack: true);
        var options = new TrainingOptions { Lora = new LoraOptions { Rank = 4, Dropout = 0.1 }, LearningRate = 5e-3, WarmupSteps = 2, MaxSteps = 8, BatchSize = 2, GradientAccumulation = 2, SaveEvery = 4, Seed = 7, Threads = 1 };

        List<double> Run(string name, string? resume)
        {
            using var model = Checkpoint.Open(modelFolder).LoadModel();
            var trainer = new Trainer(model, options, torch.CPU, modelFolder);
            return [.. trainer.Run(train, validation, folder.File(name), new Recorder(), CancellationToken.None, resume).Losses];
        }

        var straight = Run("straight", null);
        var resumed = Run("resumed", folder.File("straight/checkpoint-4"));

        output.WriteLine(string.Join(", ", straight.Select(l => l.ToString("F6", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(4, resumed.Count);
        Assert.Equal(straight.Skip(4), resumed);
    }
}
