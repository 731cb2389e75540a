using System.Text.Json.Nodes;
using Curation.Core;
using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Data;
using Curation.Training.Lora;
using Curation.Training.Runtime;
using Curation.Training.Tests.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace Curation.Training.Tests.Checkpoints;

/// <summary>One short LoRA run and one full run, whose checkpoint-2 the tests copy and damage.</summary>
public sealed class TrainedRuns : IDisposable
{
    public TrainedRuns()
    {
        TorchRuntime.EnsureLoaded();
        var (model, encoder) = TrainingTestData.Model(Folder);
        Model = model;
        (Train, _, _) = TrainingData.Build(TrainingTestData.Records(), encoder, 64, Truncation.Drop, 0, 1, pack: false);
        Run(Options(lora: true), "lora");
        Run(Options(lora: false), "full");
    }

    public TempFolder Folder { get; } = new();

    public string Model { get; }

    public IReadOnlyList<TrainingExample> Train { get; }

    public static TrainingOptions Options(bool lora, int rank = 4) =>
        new() { Lora = lora ? new LoraOptions { Rank = rank, Dropout = 0 } : null, LearningRate = 5e-3, WarmupSteps = 1, MaxSteps = 4, BatchSize = 4, SaveEvery = 2, EvaluateEvery = 0, Seed = 2, Threads = 1 };

    public TrainingResult Run(TrainingOptions options, string output, string? resumeFrom = null)
    {
        using var model = Checkpoint.Open(Model).LoadModel();
        return new Trainer(model, options, torch.CPU, Model).Run(Train, [], Folder.File(output), new NoProgress(), CancellationToken.None, resumeFrom);
    }

    public void Dispose() => Folder.Dispose();

    private sealed class NoProgress : ITrainingObserver
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
}

public sealed class DamagedCheckpointTests(TrainedRuns runs, ITestOutputHelper log) : IClassFixture<TrainedRuns>, IDisposable
{
    private readonly TempFolder _temp = new();
    private int _copies;

    public void Dispose() => _temp.Dispose();

    /// <summary>A copy of checkpoint-2 of the <paramref name="kind"/> run, damaged by <paramref name="damage"/>.</summary>
    private string Damaged(string kind, Action<string> damage)
    {
        var copy = _temp.File($"{kind}-{++_copies}/checkpoint-2");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(runs.Folder.File($"{kind}/checkpoint-2")))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        damage(copy);
        return copy;
    }

    private string ResumeError(string checkpoint, bool lora = true, int rank = 4)
    {
        var output = $"resumed-{Guid.NewGuid():N}";
        var error = Assert.Throws<CurationException>(() => runs.Run(TrainedRuns.Options(lora, rank), output, checkpoint));
        Assert.False(Directory.Exists(runs.Folder.File(output)), "nothing is written before the checkpoint is read");
        log.WriteLine(error.Message);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    private static void Truncate(string path) => File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(new FileInfo(path).Length / 2)]);

    private static void EditState(string checkpoint, Action<JsonObject> edit)
    {
        var path = Path.Combine(checkpoint, Trainer.StateFile);
        var state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(state);
        File.WriteAllText(path, state.ToJsonString());
    }

    [Fact]
    public void TruncatedAdapter_IsNamedWithBothSizes()
    {
        var checkpoint = Damaged("lora", c => Truncate(Path.Combine(c, LoraAdapter.WeightsFile)));
        var weights = Path.Combine(checkpoint, LoraAdapter.WeightsFile);
        var recorded = new FileInfo(runs.Folder.File($"lora/checkpoint-2/{LoraAdapter.WeightsFile}")).Length;

        Assert.Equal($"{weights}: truncated or damaged: {recorded / 2} bytes; trainer_state.json recorded {recorded}", ResumeError(checkpoint));
    }

    [Fact]
    public void CorruptWeightsOfTheRightSize_AreCaughtByTheirDigest()
    {
        var checkpoint = Damaged("full", c =>
        {
            var path = Path.Combine(c, Checkpoint.SingleFile);
            var bytes = File.ReadAllBytes(path);
            bytes[^100] ^= 0x40;
            File.WriteAllBytes(path, bytes);
        });

        Assert.Equal($"{Path.Combine(checkpoint, Checkpoint.SingleFile)}: damaged: its SHA-256 is not the one trainer_state.json recorded", ResumeError(checkpoint, lora: false));
    }

    [Fact]
    public void GarbledState_IsNotValidJson()
    {
        var checkpoint = Damaged("lora", c => File.WriteAllText(Path.Combine(c, Trainer.StateFile), "{\"step\": 2, \"lora\": tru"));

        Assert.StartsWith($"{Path.Combine(checkpoint, Trainer.StateFile)}: damaged: not valid JSON (", ResumeError(checkpoint), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("step", null, "'step' is missing or not a positive integer")]
    [InlineData("step", "\"two\"", "'step' is missing or not a positive integer")]
    [InlineData("lora", "1", "'lora' is missing or not true or false")]
    [InlineData("torch_rng_state", "\"not base64!\"", "'torch_rng_state' is missing or not torch's random state in base64")]
    [InlineData("files", "[]", "'files' is missing or not an object of file name to {bytes, sha256}")]
    public void StateWithAMissingOrWrongField_NamesTheField(string field, string? value, string expected)
    {
        var checkpoint = Damaged("lora", c => EditState(c, state =>
        {
            state.Remove(field);
            if (value is not null)
            {
                state[field] = JsonNode.Parse(value);
            }
        }));

        Assert.Equal($"{Path.Combine(checkpoint, Trainer.StateFile)}: damaged: {expected}", ResumeError(checkpoint));
    }

    [Fact]
    public void RandomStateOfTheWrongSize_IsNamed()
    {
        var checkpoint = Damaged("lora", c => EditState(c, state => state["torch_rng_state"] = Convert.ToBase64String(new byte[16])));

        Assert.StartsWith($"{Path.Combine(checkpoint, Trainer.StateFile)}: damaged: 'torch_rng_state' holds 16 bytes; torch's random state has ", ResumeError(checkpoint), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolder_StateOrOptimizer_AreNamed()
    {
        var missing = _temp.File("checkpoint-9");
        Assert.Equal($"{missing}: checkpoint folder not found", ResumeError(missing));

        var noState = Damaged("lora", c => File.Delete(Path.Combine(c, Trainer.StateFile)));
        Assert.Equal($"{Path.Combine(noState, Trainer.StateFile)}: missing; not a checkpoint folder written by curate train", ResumeError(noState));

        var noOptimizer = Damaged("full", c => File.Delete(Path.Combine(c, Trainer.OptimizerFile)));
        Assert.Equal($"{Path.Combine(noOptimizer, Trainer.OptimizerFile)}: missing; the checkpoint is incomplete", ResumeError(noOptimizer, lora: false));

        // A checkpoint of an earlier curate held TorchSharp's optimizer state instead.
        var earlier = Damaged("lora", c => File.Move(Path.Combine(c, Trainer.OptimizerFile), Path.Combine(c, "optimizer.bin")));
        Assert.Equal($"{earlier}: written by an earlier curate, whose optimizer state (optimizer.bin) cannot be resumed; start a new run from its adapter instead", ResumeError(earlier));
    }

    [Fact]
    public void CheckpointWithoutDigests_DamageIsStillAOneLineError()
    {
        // Checkpoints written before the digests: a truncated file is caught by the safetensors and optimizer readers.
        var weights = Damaged("lora", c =>
        {
            EditState(c, state => state.Remove("files"));
            Truncate(Path.Combine(c, LoraAdapter.WeightsFile));
        });
        Assert.Contains("the file is truncated or damaged", ResumeError(weights), StringComparison.Ordinal);

        var optimizer = Damaged("lora", c =>
        {
            EditState(c, state => state.Remove("files"));
            Truncate(Path.Combine(c, Trainer.OptimizerFile));
        });
        Assert.StartsWith($"{Path.Combine(optimizer, Trainer.OptimizerFile)}: not the optimizer state of this run (", ResumeError(optimizer), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointOfAnotherShape_OrKind_IsNamed()
    {
        var checkpoint = runs.Folder.File("lora/checkpoint-2");

        Assert.Matches(@"adapter tensor '.+' \[4, \d+\] does not fit this llama model: an adapter of another base model\?$", ResumeError(checkpoint, rank: 8));
        Assert.Equal($"{checkpoint}: a LoRA checkpoint cannot resume a full run", ResumeError(checkpoint, lora: false));
    }

    [Fact]
    public void FullCheckpoint_ResumesToTheSameLossesAsStraightThrough()
    {
        var straight = runs.Run(TrainedRuns.Options(lora: false), "full-straight");
        var resumed = runs.Run(TrainedRuns.Options(lora: false), "full-resumed", runs.Folder.File("full/checkpoint-2"));

        Assert.Equal(straight.Losses.Skip(2), resumed.Losses);
    }
}
