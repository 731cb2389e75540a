using System.Threading.Channels;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.Core.Stats;
using Xunit;

namespace Curation.TestKit.Stages;

/// <summary>
/// What every stage promises the runtime, checked in the real runtime (<see cref="StagePipeline"/>). A stage's test
/// class inherits this and says how to build the stage, what realistic input looks like and which inputs it rejects;
/// the checks then run for that stage with its own tests.
/// </summary>
public abstract class StageContractTests : IDisposable
{
    private const string InjectedFault = "injected fault: the device went away";

    private IReadOnlyList<StageInput>? _input;

    /// <summary>A folder for the stage's files (models, stores, outputs), deleted after each test.</summary>
    protected TempFolder Temp { get; } = new();

    /// <summary>The registry the stage kind is registered in, as the CLI builds it (e.g. <c>new StageRegistry().AddFilterStages()</c>).</summary>
    protected abstract StageRegistry Registry { get; }

    /// <summary>The kind under test, as pipeline files name it.</summary>
    protected abstract string Kind { get; }

    /// <summary>Records as the stage meets them in a real run (what earlier stages let through), some of which it may reject.</summary>
    protected abstract IReadOnlyList<ChatRecord> RealisticInput { get; }

    /// <summary>
    /// Records the stage must reject when they follow <see cref="RealisticInput"/> (duplicates of it, for a dedup
    /// stage). Required when the stage declares rules, so that the rule checks see its rejects.
    /// </summary>
    protected virtual IReadOnlyList<ChatRecord> RejectingInput => [];

    /// <summary>Records an earlier stage rejected, which reach this stage as rejects (a stage that restores records meets them).</summary>
    protected virtual IReadOnlyList<ChatRecord> RejectedEarlier => [];

    protected StageDescriptor Descriptor =>
        Registry.TryGet(Kind, out var descriptor) ? descriptor : throw new InvalidOperationException($"stage kind '{Kind}' is not registered");

    /// <summary>A new stage, as a run builds it: stream stages keep state, so every run gets its own.</summary>
    protected abstract IStage CreateStage();

    /// <summary>Builds the stage through its registration, with the pipeline file's folder and the output folder both <see cref="Temp"/>.</summary>
    protected IStage FromRegistry(object options) =>
        Descriptor.Create(options, new StageBuildContext(Kind, Temp.Path, Seed: 7, OutputDirectory: Temp.Path));

    /// <summary>
    /// What reaches the stage: <see cref="RealisticInput"/> with unreadable lines the read step rejected among it, then
    /// <see cref="RejectingInput"/>, then <see cref="RejectedEarlier"/> as an earlier stage's rejects.
    /// </summary>
    private IReadOnlyList<StageInput> Input => _input ??= [.. BuildInput()];

    private int RecordCount => Input.Count(item => item.Record is not null && !item.IsRejectedBefore);

    private IEnumerable<long> RejectingLines => Enumerable.Range(Input.Count - RejectedEarlier.Count - RejectingInput.Count + 1, RejectingInput.Count).Select(line => (long)line);

    [Fact]
    public async Task Contract_EmptyInput_CompletesWithNothingKeptOrRejected()
    {
        var run = await StagePipeline.RunAsync(CreateStage(), Array.Empty<StageInput>());

        AssertCompleted(run);
        Assert.Empty(run.Data);
        Assert.Empty(run.Rejects);
        var counters = StageCountersOf(run);
        Assert.Equal(0, counters.Input);
        Assert.Equal(0, counters.Kept);
        Assert.Equal(0, counters.Rejected);
    }

    [Fact]
    public async Task Contract_Input_IsKeptOrRejected_AndTheCountsBalance()
    {
        var stage = CreateStage();
        var run = await StagePipeline.RunAsync(stage, Input);

        AssertCompleted(run);
        var counters = StageCountersOf(run);
        var earlierRejects = Input.Count - RecordCount;
        Assert.Equal(RecordCount, counters.Input);
        Assert.Equal(counters.Input + counters.Restored, counters.Kept + counters.Rejected);
        Assert.Equal(counters.Kept, run.Data.Count);
        Assert.Equal(earlierRejects + counters.Rejected - counters.Restored, run.Rejects.Count);
        Assert.DoesNotContain(run.Rejects, reject => reject.Rule == "stage-error");
    }

    [Fact]
    public async Task Contract_Output_IsByteIdentical_WithOneAndEightWorkers()
    {
        var one = await StagePipeline.RunAsync(CreateStage(), Input, new StagePipelineSettings { Workers = 1, BatchSize = 1 });
        var filesOfOne = FilesIn(Temp.Path);
        var eight = await StagePipeline.RunAsync(CreateStage(), Input, new StagePipelineSettings { Workers = 8, BatchSize = 5 });

        AssertCompleted(one);
        AssertCompleted(eight);
        Assert.Equal(one.DataText, eight.DataText);
        Assert.Equal(one.RejectsText, eight.RejectsText);
        Assert.Equal(filesOfOne, FilesIn(Temp.Path));
        if (CreateStage() is IReportingStage)
        {
            // What a per-record stage reports is gathered on every worker at once.
            Assert.Equal(StageCountersOf(one).Notes, StageCountersOf(eight).Notes);
        }
    }

    [Fact]
    public async Task Contract_EveryRecord_IsEmittedOnce_InInputOrder()
    {
        var run = await StagePipeline.RunAsync(CreateStage(), Input, new StagePipelineSettings { Workers = 4 });

        AssertCompleted(run);
        var kept = run.Data.Select(record => record.Source.Position).ToList();
        var rejected = run.Rejects.Select(reject => reject.Source.Position).ToList();
        Assert.Equal(kept.Order(), kept);
        Assert.Equal(rejected.Order(), rejected);
        Assert.Equal(Enumerable.Range(1, Input.Count).Select(line => (long)line), kept.Concat(rejected).Order());
        Assert.All(run.Data, record => Assert.Equal(RecordListSource.FileName, record.Source.File));
        // A record keeps its identity through a stage, whatever the stage changes in it.
        Assert.All(run.Data, record => Assert.Equal(
            (Input[(int)record.Source.Position - 1].Record!.Id, Input[(int)record.Source.Position - 1].Record!.HasInputId),
            (record.Id, record.HasInputId)));
        Assert.All(run.Rejects, reject => Assert.Equal(reject.Source, reject.Record?.Source ?? reject.Source));
    }

    [Fact]
    public async Task Contract_EarlierRejects_RideAlongUnchanged()
    {
        var stage = CreateStage();
        var run = await StagePipeline.RunAsync(stage, Input, new StagePipelineSettings { Workers = 4 });

        AssertCompleted(run);
        var unreadable = Input.Select((item, index) => (item.Unreadable, Line: index + 1L)).Where(pair => pair.Unreadable is not null).ToList();
        var passedOn = run.Rejects.Where(reject => reject.Stage == PipelineRunner.ReadStageName).ToList();
        Assert.Equal(unreadable.Select(pair => RecordText.Of(pair.Unreadable! with { Source = new SourceRef(RecordListSource.FileName, pair.Line, SourceUnit.Line) })), passedOn.Select(RecordText.Of));
        // An earlier stage's reject stays its reject (a stage that restores records may add why it did not).
        var stillRejected = run.Rejects.Where(reject => reject.Stage == EarlierStage.StageName).ToList();
        Assert.All(stillRejected, reject => Assert.Equal(EarlierStage.Rule, reject.Rule));
        Assert.Equal(RejectedEarlier.Count, stillRejected.Count + StageCountersOf(run).Restored);
    }

    [Fact]
    public async Task Contract_Cancellation_StopsCleanly_LeavingOnlyWholeOutput()
    {
        var complete = await StagePipeline.RunAsync(CreateStage(), Input, new StagePipelineSettings { BatchSize = 1, ChannelCapacity = 1 });
        var cancelled = await StagePipeline.RunAsync(CreateStage(), Input, new StagePipelineSettings { BatchSize = 1, ChannelCapacity = 1, CancelAfterFirstBatch = true });

        Assert.Equal(RunStatus.Cancelled, cancelled.Run.Status);
        Assert.Null(cancelled.Run.Error);
        Assert.StartsWith(cancelled.DataText, complete.DataText, StringComparison.Ordinal);
        Assert.StartsWith(cancelled.RejectsText, complete.RejectsText, StringComparison.Ordinal);
        if (CreateStage() is IStreamStage streamStage)
        {
            await AssertCancelledWhileWaitingForInput(streamStage);
        }
    }

    [Fact]
    public async Task Contract_AFaultingSource_FailsTheRunWithItsFault()
    {
        var run = await StagePipeline.RunAsync(CreateStage(), Input, new StagePipelineSettings { BatchSize = 1, SourceFault = new IOException(InjectedFault) });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains(InjectedFault, run.Run.Error, StringComparison.Ordinal);
        if (CreateStage() is IStreamStage streamStage)
        {
            await AssertUpstreamFaultPropagates(streamStage);
        }
    }

    [Fact]
    public async Task Contract_AFaultingWriter_FailsTheRunWithItsFault_WithoutHanging()
    {
        // One record a batch, one batch a channel: the stage is blocked writing when the writer fails.
        var run = await StagePipeline.RunAsync(CreateStage(), Input, new StagePipelineSettings { BatchSize = 1, ChannelCapacity = 1, WriterFault = new IOException(InjectedFault) });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains(InjectedFault, run.Run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contract_EveryRejectRule_IsOneTheStageDeclares()
    {
        var stage = CreateStage();
        var run = await StagePipeline.RunAsync(stage, Input);

        AssertCompleted(run);
        var emitted = run.Rejects.Where(reject => reject.Stage == stage.Name).Select(reject => reject.Rule).Distinct();
        Assert.All(emitted, rule => Assert.Contains(rule, Descriptor.Rules));
        Assert.All(StageCountersOf(run).RejectsByRule.Keys, rule => Assert.Contains(rule, Descriptor.Rules));
    }

    [Fact]
    public async Task Contract_RejectingInput_IsRejectedByTheStage()
    {
        if (Descriptor.Rules.Count > 0)
        {
            Assert.True(RejectingInput.Count > 0, $"'{Kind}' declares rules ({string.Join(", ", Descriptor.Rules)}): give RejectingInput that triggers them");
        }

        var stage = CreateStage();
        var run = await StagePipeline.RunAsync(stage, Input);

        AssertCompleted(run);
        var rejectedLines = run.Rejects.Where(reject => reject.Stage == stage.Name).Select(reject => reject.Source.Position).ToHashSet();
        Assert.All(RejectingLines, line => Assert.Contains(line, rejectedLines));
    }

    [Fact]
    public void Contract_KindAndRules_FollowTheNamingConvention()
    {
        Assert.True(StageNaming.IsValid(Kind), $"kind '{Kind}': {StageNaming.Convention}");
        Assert.All(Descriptor.Rules, rule => Assert.True(StageNaming.IsValid(rule), $"rule '{rule}': {StageNaming.Convention}"));
    }

    /// <summary>
    /// For a stage whose figures add up across shard tasks: the figures of two runs over the two halves of the
    /// input, added into a stage that ran nothing, report what one run over all of it reports.
    /// </summary>
    protected async Task AssertFiguresOfTwoHalvesReportAsOneRun()
    {
        var records = RealisticInput.Concat(RejectingInput).ToList();
        var whole = await StagePipeline.RunAsync(CreateStage(), records);
        var first = await StagePipeline.RunAsync(CreateStage(), records[..(records.Count / 2)]);
        var second = await StagePipeline.RunAsync(CreateStage(), records[(records.Count / 2)..]);
        AssertCompleted(whole);
        AssertCompleted(first);
        AssertCompleted(second);

        var merged = Assert.IsAssignableFrom<IMergeableReport>(CreateStage());
        merged.AddFigures(Assert.NotNull(StageCountersOf(first).Figures));
        merged.AddFigures(Assert.NotNull(StageCountersOf(second).Figures));
        var counters = new StageCounters(merged.Name);
        merged.Report(counters);

        Assert.Equal(StageCountersOf(whole).Notes, counters.Notes);
        Assert.NotEqual(StageCountersOf(first).Notes, counters.Notes);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Temp.Dispose();
        }
    }

    private IEnumerable<StageInput> BuildInput()
    {
        for (var i = 0; i < RealisticInput.Count; i++)
        {
            if (i % 8 == 3)
            {
                yield return StageInput.UnreadableLine("{\"messages\": [", $"line cut short before record {i}");
            }

            yield return StageInput.Kept(RealisticInput[i]);
        }

        foreach (var record in RejectingInput)
        {
            yield return StageInput.Kept(record);
        }

        foreach (var record in RejectedEarlier)
        {
            yield return StageInput.RejectedBefore(record);
        }
    }

    private static void AssertCompleted(StagePipelineResult run)
    {
        Assert.True(run.Run.Status == RunStatus.Completed, $"run {run.Run.Status}: {run.Run.Error}");
        Assert.Empty(run.Run.BalanceProblems);
    }

    private static StageCounters StageCountersOf(StagePipelineResult run) => run.Run.Stats.Stages[^1];

    /// <summary>The stage's own files (clusters, indexes, exports) by path, with their contents.</summary>
    private static SortedDictionary<string, string> FilesIn(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(path => Path.GetRelativePath(folder, path), File.ReadAllText), StringComparer.Ordinal);

    // A stream stage reads its input itself: when the step before it fails, so must the stage, with that fault, rather
    // than end as if its input were complete.
    private static async Task AssertUpstreamFaultPropagates(IStreamStage stage)
    {
        var input = Channel.CreateUnbounded<Envelope[]>();
        var output = Channel.CreateUnbounded<Envelope[]>();
        var context = new StageContext { StageName = stage.Name, Seed = 7, Workers = 2, FailFast = false, Counters = new StageCounters(stage.Name) };
        await input.Writer.WriteAsync([Envelope.Kept(0, Chat.Record("What is 2 + 2?", "4."))]);
        input.Writer.Complete(new IOException(InjectedFault));

        var fault = await Record.ExceptionAsync(() => stage.RunAsync(input.Reader, output.Writer, context, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.NotNull(fault);
        Assert.Contains(InjectedFault, fault.ToString(), StringComparison.Ordinal);
    }

    // A stream stage reads its input itself: cancelled while it waits for the next batch, it must end with an
    // OperationCanceledException, not hang, and write nothing it did not finish.
    private static async Task AssertCancelledWhileWaitingForInput(IStreamStage stage)
    {
        var input = Channel.CreateUnbounded<Envelope[]>();
        var output = Channel.CreateUnbounded<Envelope[]>();
        using var cancel = new CancellationTokenSource();
        var context = new StageContext { StageName = stage.Name, Seed = 7, Workers = 2, FailFast = false, Counters = new StageCounters(stage.Name) };
        var running = stage.RunAsync(input.Reader, output.Writer, context, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(output.Reader.TryRead(out _), "the stage wrote a batch although its input never came");
    }
}
