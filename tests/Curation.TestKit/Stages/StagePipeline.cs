using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.TestKit.Fakes;

namespace Curation.TestKit.Stages;

/// <summary>How <see cref="StagePipeline"/> runs: workers, batch and channel sizes, and the faults to inject.</summary>
public sealed record StagePipelineSettings
{
    public int Workers { get; init; } = 2;

    public int BatchSize { get; init; } = 3;

    public int ChannelCapacity { get; init; } = 4;

    /// <summary>Thrown by the source after its first batch.</summary>
    public Exception? SourceFault { get; init; }

    /// <summary>Thrown by the data writer on its first write.</summary>
    public Exception? WriterFault { get; init; }

    /// <summary>Cancel the run once the first batch is read, while the source waits for more.</summary>
    public bool CancelAfterFirstBatch { get; init; }

    /// <summary>A run that takes longer has hung: it fails the test instead of blocking it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>What the writers received, as <see cref="RecordText"/> lines, and the run's result.</summary>
public sealed record StagePipelineResult(RunResult Run, IReadOnlyList<ChatRecord> Data, IReadOnlyList<Reject> Rejects, string DataText, string RejectsText);

/// <summary>
/// Runs one stage in the real runtime: prepared records and earlier rejects are read and decoded by
/// <see cref="RecordListSource"/>, pass the stage on the given workers, and reach in-memory writers, with the runtime's
/// order and balance checks.
/// </summary>
public static class StagePipeline
{
    public static Task<StagePipelineResult> RunAsync(IStage stage, IReadOnlyList<ChatRecord> records, StagePipelineSettings? settings = null) =>
        RunAsync(stage, [.. records.Select(StageInput.Kept)], settings);

    public static async Task<StagePipelineResult> RunAsync(IStage stage, IReadOnlyList<StageInput> items, StagePipelineSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(items);
        settings ??= new StagePipelineSettings();
        using var cancel = new CancellationTokenSource();
        var source = new RecordListSource(items, settings.BatchSize)
        {
            FaultAfterFirstBatch = settings.SourceFault,
            CancelAfterFirstBatch = settings.CancelAfterFirstBatch ? cancel : null,
        };
        var data = new MemoryWriter<ChatRecord>(RecordText.Of, "data");
        var rejects = new MemoryWriter<Reject>(RecordText.Of, "rejects");
        IRecordWriter<ChatRecord> dataWriter = settings.WriterFault is { } fault ? new FaultingWriter<ChatRecord>(fault) : data;
        using var outputs = RunOutputs.Unplanned();
        var runner = new PipelineRunner(
            source,
            new RecordListDecoder(items),
            StepsFor(stage, items, settings.Workers),
            dataWriter,
            rejects,
            new RunOptions { Workers = settings.Workers, Seed = 7, ChannelCapacity = settings.ChannelCapacity },
            outputs: outputs);
        var result = await runner.RunAsync(cancel.Token).WaitAsync(settings.Timeout);
        if (result.Status == RunStatus.Completed)
        {
            outputs.Commit();
        }
        else
        {
            outputs.Abandon(keepPartial: false);
        }

        return new StagePipelineResult(result, data.Items, rejects.Items, data.Text, rejects.Text);
    }

    private static List<PipelineStep> StepsFor(IStage stage, IReadOnlyList<StageInput> items, int workers)
    {
        var rejectedBefore = items.Select((item, index) => (item, Line: index + 1L)).Where(pair => pair.item.IsRejectedBefore).Select(pair => pair.Line).ToHashSet();
        var steps = new List<PipelineStep>();
        if (rejectedBefore.Count > 0)
        {
            steps.Add(new PipelineStep(new EarlierStage(rejectedBefore), workers));
        }

        steps.Add(new PipelineStep(stage, workers));
        return steps;
    }
}
