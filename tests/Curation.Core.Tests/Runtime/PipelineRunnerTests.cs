using System.Threading.Channels;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.TestKit.Fakes;

namespace Curation.Core.Tests.Runtime;

public sealed class PipelineRunnerTests
{
    private static List<string> Lines(int count) =>
        Enumerable.Range(0, count).Select(i => i % 13 == 5 ? $"bad line {i}" : i % 11 == 3 ? $"q{i}|please drop {i}" : $"q{i}|answer {i} {new string('x', i % 17)}").ToList();

    private static async Task<(RunResult Result, MemoryWriter<ChatRecord> Output, MemoryWriter<Reject> Rejects)> Run(
        IReadOnlyList<string> lines, int workers, IReadOnlyList<IStage>? stages = null, bool failFast = false, LineSource? source = null, bool keepStageFigures = true, CancellationToken cancellationToken = default)
    {
        var output = new MemoryWriter<ChatRecord>(r => $"{r.Id}\t{r.Messages[0].Content}\t{r.Messages[^1].Content}", "data");
        var rejects = new MemoryWriter<Reject>(r => $"{r.Stage}\t{r.Rule}\t{r.Source}", "rejects");
        var steps = (stages ?? [new ShoutStage()]).Select(s => new PipelineStep(s, workers)).ToList();
        var runner = new PipelineRunner(source ?? new LineSource(lines), new PipeDecoder(), steps, output, rejects, new RunOptions { Workers = workers, FailFast = failFast, KeepStageFigures = keepStageFigures });
        var result = await runner.RunAsync(cancellationToken);
        return (result, output, rejects);
    }

    [Fact]
    public async Task RunAsync_OneOrManyWorkers_WritesIdenticalOutputInInputOrder()
    {
        var lines = Lines(2000);
        var (single, singleOut, singleRejects) = await Run(lines, workers: 1);
        var (many, manyOut, manyRejects) = await Run(lines, workers: 8);

        Assert.Equal(RunStatus.Completed, single.Status);
        Assert.Equal(RunStatus.Completed, many.Status);
        Assert.Equal(singleOut.Text, manyOut.Text);
        Assert.Equal(singleRejects.Text, manyRejects.Text);
        var positions = manyOut.Items.Select(r => r.Source.Position).ToList();
        Assert.Equal(positions.Order().ToList(), positions);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunAsync_KeepsAMergeableStagesFigures_OnlyWhenAskedTo(bool keep)
    {
        var (result, _, _) = await Run(Lines(50), workers: 2, stages: [new CountingStage()], keepStageFigures: keep);

        Assert.Equal(RunStatus.Completed, result.Status);
        var figures = result.Stats.Stages.Single(stage => stage.Stage == "counting").Figures;
        Assert.Equal(keep ? "46" : null, figures?.GetRawText());
        Assert.Equal(["seen 46"], result.Stats.Stages.Single(stage => stage.Stage == "counting").Notes);
    }

    [Fact]
    public async Task RunAsync_ReleasesEveryBatchOnce_OnlyAfterItIsDecoded()
    {
        var lines = Enumerable.Range(0, 200).Select(i => $"q{i}|a{i}").ToList();
        var source = new LineSource(lines);

        var (result, output, _) = await Run(lines, workers: 4, stages: [], source: source);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(200, output.Items.Count);
        Assert.DoesNotContain('#', output.Text);
        Assert.Equal(source.BatchesRead, source.BatchesReleased);
    }

    [Fact]
    public async Task RunAsync_Always_BalancesInputAgainstKeptAndRejected()
    {
        var lines = Lines(1000);
        var (result, output, rejects) = await Run(lines, workers: 4);

        var read = result.Stats.Stages[0];
        var shout = result.Stats.Stages[1];
        var expectedBadLines = lines.Count(l => !l.Contains('|', StringComparison.Ordinal));
        var expectedDrops = lines.Count(l => l.Contains("drop", StringComparison.Ordinal));
        Assert.Equal(lines.Count, read.Input);
        Assert.Equal(expectedBadLines, read.Rejected);
        Assert.Equal(read.Kept, shout.Input);
        Assert.Equal(expectedDrops, shout.RejectsByRule["contains-drop"]);
        Assert.Equal(lines.Count, output.Items.Count + rejects.Items.Count);
        Assert.Empty(result.BalanceProblems);
        Assert.True(output.Sealed);
    }

    [Fact]
    public async Task RunAsync_StageThrowsOnOneRecord_RejectsItWithStageErrorAndGoesOn()
    {
        var lines = new List<string> { "a|fine", "b|boom", "c|fine too" };
        var (result, output, rejects) = await Run(lines, workers: 2);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(2, output.Items.Count);
        var reject = Assert.Single(rejects.Items);
        Assert.Equal("stage-error", reject.Rule);
        Assert.Equal("shout", reject.Stage);
        Assert.Contains("exploded", reject.Detail, StringComparison.Ordinal);
        Assert.Equal(2, reject.Source.Position);
        Assert.NotNull(reject.Record);
    }

    [Fact]
    public async Task RunAsync_FailFast_FailsTheRunNamingTheRecord()
    {
        var lines = new List<string> { "a|fine", "b|boom", "c|fine too" };
        var (result, output, _) = await Run(lines, workers: 2, failFast: true);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("mem.txt:2", result.Error, StringComparison.Ordinal);
        Assert.Contains("exploded", result.Error, StringComparison.Ordinal);
        Assert.True(output.Sealed, "a failed run still finishes its files, to keep them as *.incomplete");
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsAndMarksOutputsIncomplete()
    {
        using var cancellation = new CancellationTokenSource();
        var lines = Lines(5000);
        var source = new LineSource(lines, batchSize: 10, cancelAfterFirstBatch: cancellation);
        var (result, output, rejects) = await Run(lines, workers: 2, source: source, cancellationToken: cancellation.Token);

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.True(output.Sealed && rejects.Sealed, "a stopped run still finishes its files, to keep them as *.incomplete");
        Assert.True(output.Items.Count + rejects.Items.Count < lines.Count);
    }

    [Fact]
    public async Task RunAsync_StreamStage_SeesEveryEnvelopeInOrderAndIsCounted()
    {
        var lines = Lines(300);
        var stream = new DropEveryThirdKeptStage();
        var (result, output, rejects) = await Run(lines, workers: 3, stages: [new ShoutStage(), stream]);

        Assert.Equal(RunStatus.Completed, result.Status);
        var counters = result.Stats.Stages[2];
        Assert.Equal(result.Stats.Stages[1].Kept, counters.Input);
        Assert.Equal(counters.Input / 3, counters.Rejected);
        Assert.Equal(lines.Count, output.Items.Count + rejects.Items.Count);
        Assert.True(stream.SequencesWereIncreasing);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task RunAsync_RecordStagesInARow_EachSeesTheOutputOfTheOneBefore_AndCountsItsOwn(int workers)
    {
        // Three per-record stages in a row (run one after another on each batch), a stream stage, then one more.
        var lines = Enumerable.Range(0, 600).Select(i => i % 13 == 5 ? $"bad line {i}" : $"q{i}|a{i}").ToList();
        var stages = new IStage[] { new TagStage("first", 3), new TagStage("second", 5), new TagStage("third", 7), new DropEveryThirdKeptStage(), new TagStage("fourth", 11) };

        var (result, output, rejects) = await Run(lines, workers, stages);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Empty(result.BalanceProblems);
        var counts = result.Stats.Stages.ToDictionary(stage => stage.Stage);
        string[] order = ["read", "first", "second", "third", "thirds", "fourth"];
        Assert.Equal(order, result.Stats.Stages.Select(stage => stage.Stage));
        for (var i = 1; i < order.Length; i++)
        {
            Assert.Equal(counts[order[i - 1]].Kept, counts[order[i]].Input);
            Assert.Equal(counts[order[i]].Input, counts[order[i]].Kept + counts[order[i]].Rejected);
        }

        var readKept = lines.Select((line, position) => (line, position: position + 1)).Where(l => l.line.Contains('|', StringComparison.Ordinal)).Select(l => l.position).ToList();
        Assert.Equal(readKept.Count(p => p % 3 == 0), counts["first"].Rejected);
        Assert.Equal(readKept.Count(p => p % 3 != 0 && p % 5 == 0), counts["second"].Rejected);
        Assert.Equal(readKept.Count(p => p % 3 != 0 && p % 5 != 0 && p % 7 == 0), counts["third"].Rejected);
        Assert.All(output.Items, record => Assert.EndsWith("+first+second+third+fourth", record.Messages[^1].Content, StringComparison.Ordinal));
        Assert.All(rejects.Items.Where(reject => reject.Stage == "third"), reject => Assert.EndsWith("+first+second", reject.Record!.Messages[^1].Content, StringComparison.Ordinal));
        Assert.Equal(lines.Count, output.Items.Count + rejects.Items.Count);
    }

    [Fact]
    public async Task RunAsync_EmptyInput_CompletesWithZeroCounts()
    {
        var (result, output, rejects) = await Run([], workers: 2);

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Empty(output.Items);
        Assert.Empty(rejects.Items);
        Assert.All(result.Stats.Stages, s => Assert.Equal(0, s.Input));
    }

    [Fact]
    public async Task RunAsync_StreamStageLosesARecord_FailsTheBalanceCheck()
    {
        var (result, _, _) = await Run(Lines(50), workers: 2, stages: [new LosingStage()]);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("do not balance", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateStageNames_Throws()
    {
        var output = new MemoryWriter<ChatRecord>(r => r.Id, "data");
        var rejects = new MemoryWriter<Reject>(r => r.Rule, "rejects");
        Assert.Throws<ArgumentException>(() => new PipelineRunner(
            new LineSource([]), new PipeDecoder(), [new PipelineStep(new ShoutStage("x"), 1), new PipelineStep(new ShoutStage("x"), 1)], output, rejects, new RunOptions()));
    }

    private sealed class DropEveryThirdKeptStage : IStreamStage
    {
        private long _last = -1;

        public string Name => "thirds";

        public bool SequencesWereIncreasing { get; private set; } = true;

        public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
        {
            var kept = 0;
            await foreach (var batch in input.ReadAllAsync(cancellationToken))
            {
                var result = new Envelope[batch.Length];
                for (var i = 0; i < batch.Length; i++)
                {
                    var envelope = batch[i];
                    SequencesWereIncreasing &= envelope.Sequence > _last;
                    _last = envelope.Sequence;
                    result[i] = envelope.Record is { } record && ++kept % 3 == 0
                        ? Envelope.Rejected(envelope.Sequence, new Reject(Name, "third", "every third", record.Source) { Record = record })
                        : envelope;
                }

                await output.WriteAsync(result, cancellationToken);
            }
        }
    }

    private sealed class LosingStage : IStreamStage
    {
        public string Name => "loser";

        public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
        {
            await foreach (var batch in input.ReadAllAsync(cancellationToken))
            {
                await output.WriteAsync(batch.Where(e => e.Record is null || e.Record.Source.Position != 1).ToArray(), cancellationToken);
            }
        }
    }
}

/// <summary>Drops the records at input positions divisible by <c>every</c>; appends "+name" to the response of the rest.</summary>
internal sealed class TagStage(string name, int every) : IRecordStage
{
    public string Name => name;

    public StageResult Apply(ChatRecord record) => record.Source.Position % every == 0
        ? StageResult.Drop("drop-" + name, $"position divisible by {every}")
        : StageResult.Keep(record with { Messages = record.Messages.SetItem(record.Messages.Length - 1, record.Messages[^1] with { Content = record.Messages[^1].Content + "+" + name }) });
}

/// <summary>Keeps every record and reports how many it saw, as figures that add up.</summary>
internal sealed class CountingStage : IMergeableReport
{
    private long _seen;

    public string Name => "counting";

    public StageResult Apply(ChatRecord record)
    {
        Interlocked.Increment(ref _seen);
        return StageResult.Keep(record);
    }

    public void Report(Stats.StageCounters counters) => counters.AddNote(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"seen {Interlocked.Read(ref _seen)}"));

    public System.Text.Json.JsonElement SaveFigures() => System.Text.Json.JsonSerializer.SerializeToElement(Interlocked.Read(ref _seen));

    public void AddFigures(System.Text.Json.JsonElement figures) => _seen += figures.GetInt64();
}
