using System.Text.Json.Nodes;
using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Data;
using Curation.Training.Lora;
using Curation.Training.Models;
using Curation.Training.Optimization;
using Curation.Training.Runtime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Curation.Training.Tests.Training;

public sealed class DivergenceTests(ITestOutputHelper output)
{
    /// <summary>Fills a trained weight with <paramref name="value"/> at the moments <paramref name="when"/> picks, as a diverging update would.</summary>
    private sealed class Poisoner(CausalLm model, Func<string, int, bool> when, float value) : ITrainingObserver
    {
        public void OnStep(StepMetrics metrics) => Poison("step", metrics.Step);

        public void OnValidation(ValidationMetrics metrics)
        {
        }

        public void OnCheckpoint(int step, string folder) => Poison("checkpoint", step);

        private void Poison(string moment, int step)
        {
            if (when(moment, step))
            {
                using var noGrad = no_grad();
                using var poison = value.ToScalar();
                model.named_parameters().First(p => p.parameter.requires_grad).parameter.fill_(poison);
            }
        }
    }

    private static TrainingOptions Lora(double learningRate = 5e-3) =>
        new() { Lora = new LoraOptions { Rank = 4, Dropout = 0 }, LearningRate = learningRate, WarmupSteps = 0, MaxSteps = 8, BatchSize = 4, SaveEvery = 2, EvaluateEvery = 0, Seed = 1, Threads = 1 };

    private static (string Model, IReadOnlyList<TrainingExample> Train) Setup(TempFolder folder)
    {
        TorchRuntime.EnsureLoaded();
        var (model, encoder) = TrainingTestData.Model(folder);
        var (train, _, _) = TrainingData.Build(TrainingTestData.Records(), encoder, 64, Truncation.Drop, 0, 1, pack: false);
        return (model, train);
    }

    private static List<JsonObject> Metrics(TempFolder folder) =>
        [.. File.ReadLines(folder.File($"run/{Trainer.MetricsFile}")).Select(line => JsonNode.Parse(line)!.AsObject())];

    private static int[] CheckpointSteps(TempFolder folder) =>
        [.. Directory.GetDirectories(folder.File("run"), "checkpoint-*").Select(d => int.Parse(Path.GetFileName(d)["checkpoint-".Length..], System.Globalization.CultureInfo.InvariantCulture)).Order()];

    [Fact]
    public void NaNLoss_StopsBeforeTheUpdate_NamesTheStep_TrustsNoCheckpointFromTheStepBefore_WritesNoAdapter()
    {
        using var folder = new TempFolder();
        var (modelFolder, train) = Setup(folder);
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        var trainer = new Trainer(model, Lora(), CPU, modelFolder);

        // Weights that turn NaN after checkpoint-4 is written: step 5's loss is NaN.
        var error = Assert.Throws<TrainingDivergedException>(() =>
            trainer.Run(train, [], folder.File("run"), new Poisoner(model, (moment, step) => moment == "checkpoint" && step == 4, float.NaN), CancellationToken.None));

        Assert.Equal($"training diverged at step 5: the loss is NaN; the last good checkpoint is {folder.File("run/checkpoint-2")}", error.Message);
        Assert.Equal((5, TrainingDivergedException.Loss), (error.Step, error.Quantity));
        Assert.Equal([2, 4], CheckpointSteps(folder));
        Assert.False(Directory.Exists(folder.File($"run/{Trainer.AdapterFolder}")));
        var metrics = Metrics(folder);
        Assert.Equal(4, metrics[^2]["step"]!.GetValue<int>());
        Assert.Equal(
            $$"""{"step":5,"diverged":"loss","value":"NaN","loss":null,"grad_norm":null,"last_checkpoint":{{JsonValue.Create(folder.File("run/checkpoint-2"))!.ToJsonString()}}}""",
            metrics[^1].ToJsonString());

        // The trusted checkpoint is whole and loads into a fresh model, with finite weights.
        using var fresh = Checkpoint.Open(modelFolder).LoadModel();
        LoraAdapter.Attach(fresh, Lora().Lora!);
        using var optimizer = new AdamWOptimizer(fresh.parameters().Where(p => p.requires_grad), 1e-3);
        Assert.Equal(2, TrainingCheckpoint.Restore(folder.File("run/checkpoint-2"), fresh, Lora().Lora, optimizer));
        Assert.All(LoraAdapter.TrainableParameters(fresh), p => Assert.True(p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void InfiniteWeights_AreNeverSaved_TheCheckpointBeforeStays()
    {
        using var folder = new TempFolder();
        var (modelFolder, train) = Setup(folder);
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        var trainer = new Trainer(model, Lora(), CPU, modelFolder);

        // The update of step 4 leaves infinite weights; checkpoint-4 is due right after.
        var error = Assert.Throws<TrainingDivergedException>(() =>
            trainer.Run(train, [], folder.File("run"), new Poisoner(model, (moment, step) => moment == "step" && step == 4, float.PositiveInfinity), CancellationToken.None));

        Assert.Equal($"training diverged at step 4: the trained weights hold NaN or infinite values; the last good checkpoint is {folder.File("run/checkpoint-2")}", error.Message);
        Assert.Equal([2], CheckpointSteps(folder));
        Assert.Empty(Directory.GetFileSystemEntries(folder.File("run"), ".*"));
        Assert.Equal("weights", Metrics(folder)[^1]["diverged"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void HugeLearningRate_Diverges_NothingIsSavedFromTheDivergedState(bool lora)
    {
        using var folder = new TempFolder();
        var (modelFolder, train) = Setup(folder);
        using var model = Checkpoint.Open(modelFolder).LoadModel();
        var options = Lora(learningRate: 1e6) with { Lora = lora ? new LoraOptions { Rank = 4, Dropout = 0 } : null, WarmupSteps = 10, MaxSteps = 30, SaveEvery = 1 };
        var trainer = new Trainer(model, options, CPU, modelFolder);

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Run(train, [], folder.File("run"), new Poisoner(model, (_, _) => false, 0), CancellationToken.None));

        output.WriteLine(error.Message);
        Assert.All(CheckpointSteps(folder), step => Assert.True(step < error.Step, $"checkpoint-{step} of a run that diverged at step {error.Step}"));
        Assert.False(Directory.Exists(folder.File($"run/{Trainer.AdapterFolder}")));
        var metrics = Metrics(folder);
        Assert.Equal(error.Step, metrics[^1]["step"]!.GetValue<int>());
        Assert.Equal(error.Quantity, metrics[^1]["diverged"]!.GetValue<string>());
        Assert.Equal(error.Step - 1, metrics.Count(m => m["loss"] is not null && m["diverged"] is null));
        // The loss and gradient of step N come from the weights saved at N - 1: that checkpoint is not the one named.
        var trusted = error.Quantity == TrainingDivergedException.Weights ? error.Step - 1 : error.Step - 2;
        Assert.Equal(trusted > 0 ? folder.File($"run/checkpoint-{trusted}") : null, error.LastCheckpoint);
    }
}
