using System.Security.Cryptography;
using Curation.Core.Files;
using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Lora;

namespace Curation.Training.Tests.Checkpoints;

public sealed class AtomicWriteTests(TrainedRuns runs) : IClassFixture<TrainedRuns>
{
    // What the disk says when it is full (ENOSPC), thrown where the write would have been.
    private static IDisposable DiskFullFor(Func<string, bool> matches) =>
        OutputFiles.InjectFault(path => matches(path) ? new IOException("No space left on device", 28) : null);

    private static Dictionary<string, string> Digests(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetRelativePath(folder, file), file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))), StringComparer.Ordinal);

    private static string[] Hidden(string folder) => Directory.GetFileSystemEntries(folder, ".*", SearchOption.AllDirectories);

    private string FreshRun(string name)
    {
        var output = runs.Folder.File(name);
        runs.Run(TrainedRuns.Options(lora: true), name);
        return output;
    }

    [Fact]
    public void SuccessfulRun_LeavesNoTemporaryFiles_AndTheUsersOwnFilesAlone()
    {
        var output = runs.Folder.File("with-user-files");
        Directory.CreateDirectory(Path.Combine(output, Trainer.AdapterFolder));
        File.WriteAllText(Path.Combine(output, Trainer.AdapterFolder, "README.md"), "my notes");
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");

        runs.Run(TrainedRuns.Options(lora: true), "with-user-files");

        Assert.Empty(Hidden(output));
        Assert.Equal("my notes", File.ReadAllText(Path.Combine(output, Trainer.AdapterFolder, "README.md")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(output, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(output, Trainer.AdapterFolder, LoraAdapter.WeightsFile)));
        Assert.Equal([LoraAdapter.ConfigFile, LoraAdapter.WeightsFile, Trainer.OptimizerFile, Trainer.StateFile], Directory.GetFiles(Path.Combine(output, "checkpoint-4")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DiskFullWhileSavingACheckpoint_LeavesThePreviousOneAsItWas_AndNoTemporaryFolder()
    {
        var output = FreshRun("checkpoint-fault");
        var before = Digests(Path.Combine(output, "checkpoint-4"));

        using (DiskFullFor(path => path.Contains($"{Path.DirectorySeparatorChar}.checkpoint-4.tmp{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && path.EndsWith(Trainer.OptimizerFile, StringComparison.Ordinal)))
        {
            var error = Assert.Throws<CurationFileException>(() => runs.Run(TrainedRuns.Options(lora: true) with { LearningRate = 1e-2 }, "checkpoint-fault"));

            Assert.Equal($"no space left on {output}/checkpoint-4/ (writing {output}/checkpoint-4/{Trainer.OptimizerFile})", error.Message);
        }

        Assert.Equal(before, Digests(Path.Combine(output, "checkpoint-4")));
        Assert.Empty(Hidden(output));
    }

    [Fact]
    public void DiskFullWhileSavingTheAdapter_LeavesThePreviousAdapterAsItWas()
    {
        var output = FreshRun("adapter-fault");
        var adapter = Path.Combine(output, Trainer.AdapterFolder);
        var before = Digests(adapter);

        using (DiskFullFor(path => path == Path.Combine(adapter, LoraAdapter.WeightsFile)))
        {
            var error = Assert.Throws<CurationFileException>(() => runs.Run(TrainedRuns.Options(lora: true) with { LearningRate = 1e-2 }, "adapter-fault"));

            Assert.Equal($"no space left on {adapter}/ (writing {adapter}/{LoraAdapter.WeightsFile})", error.Message);
        }

        Assert.Equal(before, Digests(adapter));
        Assert.Empty(Hidden(output));
    }

    [Fact]
    public void DiskFullDuringModelInit_LeavesNoFolder()
    {
        using var temp = new TempFolder();
        var model = temp.File("model");

        using (DiskFullFor(path => path.EndsWith("tokenizer.json", StringComparison.Ordinal)))
        {
            var error = Assert.Throws<CurationFileException>(() => ModelInitializer.Write(model, ModelArchitecture.Llama, ModelPreset.Tiny, seed: 1));

            Assert.Equal($"no space left on {model}/ (writing {model}/tokenizer.json)", error.Message);
        }

        Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
        ModelInitializer.Write(model, ModelArchitecture.Llama, ModelPreset.Tiny, seed: 1);
        Assert.Equal(["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"], Directory.GetFiles(model).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
