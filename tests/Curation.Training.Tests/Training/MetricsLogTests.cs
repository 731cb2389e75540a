using System.Text.Json.Nodes;
using Curation.Core.Files;
using Curation.TestKit;
using Curation.Training.Checkpoints;
using Curation.Training.Tests.Checkpoints;

namespace Curation.Training.Tests.Training;

public sealed class MetricsLogTests(TrainedRuns runs) : IClassFixture<TrainedRuns>
{
    private static int[] Steps(string path) => [.. File.ReadLines(path).Select(line => JsonNode.Parse(line)!["step"]!.GetValue<int>())];

    [Fact]
    public void AWriteThatFails_IsCutBackOff_TheLinesBeforeStay()
    {
        using var temp = new TempFolder();
        var path = temp.File(Trainer.MetricsFile);
        using var log = MetricsLog.Create(path);
        log.Append("""{"step":1}""");
        log.Append("""{"step":2}""");

        using (OutputFiles.InjectFault(_ => new IOException("No space left on device", 28)))
        {
            var error = Assert.Throws<CurationFileException>(() => log.Append("""{"step":3}"""));
            Assert.Equal($"no space left on {temp.Path}/ (writing {path})", error.Message);
        }

        Assert.Equal("{\"step\":1}\n{\"step\":2}\n", File.ReadAllText(path));
    }

    [Fact]
    public void Resume_KeepsTheLinesUpToTheCheckpoint_DropsLaterAndHalfWrittenOnes()
    {
        using var temp = new TempFolder();
        var path = temp.Write(Trainer.MetricsFile, "{\"step\":0,\"validation_loss\":8.2}\n{\"step\":1,\"loss\":8.1}\n{\"step\":2,\"loss\":7.9}\n{\"step\":2,\"validation_loss\":7.95}\n{\"step\":3,\"loss\":7.5}\n{\"step\":4,\"lo");

        using (var log = MetricsLog.Resume(path, step: 2))
        {
            log.Append("""{"step":3,"loss":7.6}""");
        }

        Assert.Equal([0, 1, 2, 2, 3], Steps(path));
        Assert.Equal(7.6, JsonNode.Parse(File.ReadLines(path).Last())!["loss"]!.GetValue<double>());
    }

    [Fact]
    public void ARunResumedInItsOwnFolder_HasEachStepOnce()
    {
        runs.Run(TrainedRuns.Options(lora: true), "resumed-in-place");
        var metrics = runs.Folder.File($"resumed-in-place/{Trainer.MetricsFile}");
        var straight = File.ReadAllLines(metrics);

        runs.Run(TrainedRuns.Options(lora: true), "resumed-in-place", runs.Folder.File("resumed-in-place/checkpoint-2"));

        Assert.Equal([1, 2, 3, 4], Steps(metrics));
        Assert.Equal(straight[..2], File.ReadAllLines(metrics)[..2]);
    }
}
