using System.Threading.Channels;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;

namespace Curation.Core.Runtime;

/// <summary>
/// Runs source → decode → stages → writers, each joined by a bounded channel of batches. Per-record stages
/// run on several workers and keep input order (several in a row share the workers: each batch goes through all of
/// them on one worker); the writers see envelopes in input order, so output does not depend on the number of workers.
/// </summary>
public sealed class PipelineRunner
{
    public const string ReadStageName = "read";

    private readonly IRecordSource? _source;
    private readonly IRecordDecoder? _decoder;
    private readonly IEnvelopeSource? _envelopes;
    private readonly IReadOnlyList<PipelineStep> _steps;
    private readonly IRecordWriter<ChatRecord>? _output;
    private readonly IRecordWriter<Reject>? _rejects;
    private readonly IEnvelopeSink? _sink;
    private readonly RunOptions _options;
    private readonly IRunObserver _observer;
    private readonly RunOutputs _outputs;
    private readonly TimeProvider _time;
    private readonly InputIdRegistry _inputIds = new();
    private readonly Dictionary<string, SortedDictionary<string, long>> _readRejectsByFile = new(StringComparer.Ordinal);

    private long _recordsRead;
    private long _incomingRejects;
    private long _recordsWritten;
    private long _rejectsWritten;

    public PipelineRunner(
        IRecordSource source,
        IRecordDecoder decoder,
        IReadOnlyList<PipelineStep> steps,
        IRecordWriter<ChatRecord> output,
        IRecordWriter<Reject> rejects,
        RunOptions options,
        IRunObserver? observer = null,
        TimeProvider? time = null,
        RunOutputs? outputs = null)
        : this(source ?? throw new ArgumentNullException(nameof(source)), decoder ?? throw new ArgumentNullException(nameof(decoder)), null, steps,
            output ?? throw new ArgumentNullException(nameof(output)), rejects ?? throw new ArgumentNullException(nameof(rejects)), null, options, observer, time, outputs)
    {
    }

    /// <summary>
    /// A runner for one step of a sharded run: its input is either read and decoded (<paramref name="source"/> and
    /// <paramref name="decoder"/>) or the envelopes an earlier step handed on (<paramref name="envelopes"/>: kept records
    /// and the rejects of earlier steps riding along; no read stage then); its envelopes go either to the data and
    /// rejects writers or, all of them in order, to <paramref name="sink"/> for a later step.
    /// </summary>
    internal PipelineRunner(
        IRecordSource? source,
        IRecordDecoder? decoder,
        IEnvelopeSource? envelopes,
        IReadOnlyList<PipelineStep> steps,
        IRecordWriter<ChatRecord>? output,
        IRecordWriter<Reject>? rejects,
        IEnvelopeSink? sink,
        RunOptions options,
        IRunObserver? observer = null,
        TimeProvider? time = null,
        RunOutputs? outputs = null)
    {
        if ((source is null || decoder is null) == (envelopes is null) || (output is null || rejects is null) == (sink is null))
        {
            throw new ArgumentException("give either a source and a decoder or envelopes, and either both writers or a sink");
        }

        CheckSteps(steps, options);
        _source = source;
        _decoder = decoder;
        _envelopes = envelopes;
        _steps = steps;
        _output = output;
        _rejects = rejects;
        _sink = sink;
        _options = options;
        _observer = observer ?? NullRunObserver.Instance;
        _time = time ?? TimeProvider.System;
        _outputs = outputs ?? RunOutputs.Unplanned();
    }

    private static void CheckSteps(IReadOnlyList<PipelineStep> steps, RunOptions options)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Workers, WorkerCount.Minimum);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChannelCapacity, 1);

        var names = new HashSet<string>(StringComparer.Ordinal) { ReadStageName };
        foreach (var step in steps)
        {
            if (!names.Add(step.Stage.Name))
            {
                throw new ArgumentException($"stage name '{step.Stage.Name}' is used twice; stage names must be unique", nameof(steps));
            }

            if (step.Stage is not (IRecordStage or IStreamStage))
            {
                throw new ArgumentException($"stage '{step.Stage.Name}' is neither a record stage nor a stream stage", nameof(steps));
            }
        }
    }

    /// <summary>The input ids seen so far; a sharded run seeds it with earlier shards' ids and reads it back after the run.</summary>
    internal InputIdRegistry InputIds => _inputIds;

    // The stages' counters once the run has wired them, for the progress timer.
    private StageCounters[] _stageCounters = [];

    public async Task<RunResult> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        var stats = new RunStats();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var progressTimer = _time.CreateTimer(_ => ReportProgress(_time.GetElapsedTime(started)), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var tasks = new List<Task>();
        var current = _envelopes is null ? StartReadAndDecode(stats.Add(ReadStageName), tasks, stop) : StartFeed(_envelopes, tasks, stop);
        for (var next = 0; next < _steps.Count;)
        {
            var step = _steps[next];
            if (step.Stage is IRecordStage)
            {
                // Per-record stages in a row with the same parallelism run one after another on each batch, on the
                // same worker, while the batch is still in that core's cache, instead of one channel hop apart.
                var fused = new List<(IRecordStage Stage, StageCounters Counters)>();
                for (; next < _steps.Count && _steps[next].Stage is IRecordStage recordStage && _steps[next].Parallelism == step.Parallelism; next++)
                {
                    fused.Add((recordStage, stats.Add(recordStage.Name)));
                }

                current = StartRecordStages(fused, step.Parallelism, current, tasks, stop);
                continue;
            }

            current = StartStreamStage((IStreamStage)step.Stage, step.Parallelism, stats.Add(step.Stage.Name), current, tasks, stop);
            next++;
        }

        Volatile.Write(ref _stageCounters, [.. stats.Stages]);
        var sink = new SinkState();
        tasks.Add(Guard<object>(_sink is null ? WriteAsync(current, sink, stop.Token) : HandOnAsync(current, _sink, sink, stop.Token), null, stop));

        Exception? failure = null;
        var stopped = false;
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception)
        {
            failure = FirstRealFailure(tasks);
            stopped = failure is null;
        }

        // An interrupt that arrives after every task has finished changes nothing: the output is complete.
        var cancelled = stopped && cancellationToken.IsCancellationRequested;
        if (stopped && !cancelled)
        {
            failure = new InvalidOperationException("the run stopped without a cause");
        }

        var complete = failure is null && !cancelled;
        var (outputs, sealFailure) = await SealWritersAsync().ConfigureAwait(false);
        failure ??= sealFailure;
        complete &= sealFailure is null;
        ReportProgress(_time.GetElapsedTime(started));

        var problems = new List<string>();
        if (complete)
        {
            problems.AddRange(stats.CheckBalance());
            var incoming = Interlocked.Read(ref _recordsRead) - Interlocked.Read(ref _incomingRejects);
            var (lastStage, lastKept) = stats.Stages.Count > 0 ? (stats.Stages[^1].Stage, stats.Stages[^1].Kept) : ("the earlier step", incoming);
            if (_envelopes is not null && stats.Stages.Count > 0 && stats.Stages[0].Input != incoming)
            {
                problems.Add($"stage '{stats.Stages[0].Stage}' received {stats.Stages[0].Input} records but the earlier step handed on {incoming}");
            }

            if (sink.Kept != lastKept)
            {
                problems.Add($"writer received {sink.Kept} records but '{lastStage}' kept {lastKept}");
            }

            var totalRejected = Interlocked.Read(ref _incomingRejects) + stats.Stages.Sum(s => s.Rejected) - stats.Stages.Sum(s => s.Restored);
            if (sink.Rejected != totalRejected)
            {
                problems.Add($"rejects file received {sink.Rejected} rejects but stages rejected {totalRejected} (less those restored)");
            }
        }

        var status = failure is not null || problems.Count > 0 ? RunStatus.Failed : cancelled ? RunStatus.Cancelled : RunStatus.Completed;
        return new RunResult
        {
            Status = status,
            Stats = stats,
            Inputs = _source?.Files ?? [],
            Outputs = outputs,
            Elapsed = _time.GetElapsedTime(started),
            StartedAt = startedAt,
            RecordsWritten = sink.Kept,
            RejectsWritten = sink.Rejected,
            Error = failure is not null ? Describe(failure) : problems.Count > 0 ? "counts do not balance: " + string.Join("; ", problems) : null,
            Exception = failure is CurationException ? null : failure,
            OutOfSpace = FileFaults.IsNoSpace(failure),
            BalanceProblems = problems,
            ReadRejectsByFile = _readRejectsByFile.ToDictionary(pair => pair.Key, pair => (IReadOnlyDictionary<string, long>)pair.Value, StringComparer.Ordinal),
        };
    }

    private ChannelReader<Envelope[]> StartReadAndDecode(StageCounters counters, List<Task> tasks, CancellationTokenSource stop)
    {
        var raw = CreateChannel<RawBatch>();
        // A read blocked on a pipe or a stalled network mount does not observe cancellation; the run stops
        // waiting for it instead, so that Ctrl+C always ends the run promptly.
        tasks.Add(Guard(ProduceAsync(raw.Writer, stop.Token).WaitAsync(stop.Token), raw.Writer, stop));

        var decoded = CreateChannel<Envelope[]>();
        var failFast = _options.FailFast;
        tasks.Add(Guard(
            OrderedParallel.MapAsync(
                raw.Reader,
                batch =>
                {
                    var result = RecordStageExecutor.Decode(_decoder!, ReadStageName, batch.First, batch.Items, failFast, _time);
                    _source!.Release(batch.Items);
                    return result;
                },
                _options.Workers,
                (result, ct) =>
                {
                    _inputIds.RejectRepeats(result.Envelopes, ReadStageName);
                    CountRejectsByFile(result.Envelopes);
                    Count(counters, ReadStageName, result);
                    Interlocked.Add(ref _recordsRead, result.Input);
                    return decoded.Writer.WriteAsync(result.Envelopes, ct);
                },
                stop.Token),
            decoded.Writer,
            stop));
        return decoded.Reader;
    }

    private ChannelReader<Envelope[]> StartFeed(IEnvelopeSource envelopes, List<Task> tasks, CancellationTokenSource stop)
    {
        var fed = CreateChannel<Envelope[]>();
        tasks.Add(Guard(FeedAsync(envelopes, fed.Writer, stop.Token), fed.Writer, stop));
        return fed.Reader;
    }

    private async Task FeedAsync(IEnvelopeSource envelopes, ChannelWriter<Envelope[]> writer, CancellationToken cancellationToken)
    {
        await foreach (var batch in envelopes.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var rejects = 0;
            foreach (var envelope in batch)
            {
                if (!envelope.IsKept)
                {
                    rejects++;
                }
            }

            Interlocked.Add(ref _incomingRejects, rejects);
            Interlocked.Add(ref _recordsRead, batch.Length);
            await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandOnAsync(ChannelReader<Envelope[]> input, IEnvelopeSink output, SinkState sink, CancellationToken cancellationToken)
    {
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (batch.Length == 0)
            {
                continue;
            }

            var kept = 0;
            for (var i = 0; i < batch.Length; i++)
            {
                if (i > 0 && batch[i].Sequence <= batch[i - 1].Sequence)
                {
                    throw new InvalidOperationException($"envelopes out of order: {batch[i - 1].Sequence} then {batch[i].Sequence}");
                }

                kept += batch[i].IsKept ? 1 : 0;
            }

            sink.CheckOrder(batch[0].Sequence, batch[^1].Sequence);
            await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            sink.Kept += kept;
            sink.Rejected += batch.Length - kept;
            Interlocked.Add(ref _recordsWritten, kept);
            Interlocked.Add(ref _rejectsWritten, batch.Length - kept);
        }
    }

    private async Task ProduceAsync(ChannelWriter<RawBatch> writer, CancellationToken cancellationToken)
    {
        long next = 0;
        await foreach (var items in _source!.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (items.Length == 0)
            {
                continue;
            }

            await writer.WriteAsync(new RawBatch(next, items), cancellationToken).ConfigureAwait(false);
            next += items.Length;
        }
    }

    private ChannelReader<Envelope[]> StartStreamStage(
        IStreamStage stage, int parallelism, StageCounters counters, ChannelReader<Envelope[]> input, List<Task> tasks, CancellationTokenSource stop)
    {
        var output = CreateChannel<Envelope[]>();
        var stageInput = CreateChannel<Envelope[]>();
        var stageOutput = CreateChannel<Envelope[]>();
        var context = new StageContext
        {
            StageName = stage.Name,
            Seed = _options.Seed,
            Workers = Math.Max(1, parallelism),
            FailFast = _options.FailFast,
            Counters = counters,
            Outputs = _outputs,
            Time = _time,
        };
        tasks.Add(Guard(CountInputAsync(input, stageInput.Writer, counters, stop.Token), stageInput.Writer, stop));
        tasks.Add(Guard(RunStreamStageAsync(stage, stageInput.Reader, stageOutput.Writer, context, stop.Token), stageOutput.Writer, stop));
        tasks.Add(Guard(CountOutputAsync(stageOutput.Reader, output.Writer, counters, stop.Token), output.Writer, stop));
        return output.Reader;
    }

    private ChannelReader<Envelope[]> StartRecordStages(
        IReadOnlyList<(IRecordStage Stage, StageCounters Counters)> stages, int parallelism, ChannelReader<Envelope[]> input, List<Task> tasks, CancellationTokenSource stop)
    {
        var output = CreateChannel<Envelope[]>();
        tasks.Add(Guard(RunRecordStagesAsync(stages, parallelism, input, output.Writer, stop.Token), output.Writer, stop));
        return output.Reader;
    }

    private async Task RunRecordStagesAsync(
        IReadOnlyList<(IRecordStage Stage, StageCounters Counters)> stages, int parallelism, ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, CancellationToken cancellationToken)
    {
        var failFast = _options.FailFast;
        await OrderedParallel.MapAsync(
            input,
            batch =>
            {
                var results = new StageBatchResult[stages.Count];
                for (var i = 0; i < stages.Count; i++)
                {
                    results[i] = RecordStageExecutor.Apply(stages[i].Stage, batch, failFast, _time);
                    batch = results[i].Envelopes;
                }

                return results;
            },
            Math.Max(1, parallelism),
            (results, ct) =>
            {
                for (var i = 0; i < stages.Count; i++)
                {
                    Count(stages[i].Counters, stages[i].Stage.Name, results[i]);
                }

                return output.WriteAsync(results[^1].Envelopes, ct);
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var (stage, counters) in stages)
        {
            if (stage is IReportingStage reporting)
            {
                reporting.Report(counters);
            }

            if (stage is IMergeableReport mergeable && _options.KeepStageFigures)
            {
                counters.Figures = mergeable.SaveFigures();
            }
        }
    }

    private async Task RunStreamStageAsync(IStreamStage stage, ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        var started = context.Time.GetTimestamp();
        await stage.RunAsync(input, output, context, cancellationToken).ConfigureAwait(false);
        context.Counters.AddBusy(context.Time.GetElapsedTime(started));
        if (stage is IEnvelopeStage mergeable && _options.KeepStageFigures)
        {
            context.Counters.Figures = mergeable.SaveFigures();
        }
    }

    private static async Task CountInputAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageCounters counters, CancellationToken cancellationToken)
    {
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var kept = 0;
            foreach (var envelope in batch)
            {
                if (envelope.IsKept)
                {
                    kept++;
                }
            }

            counters.AddInput(kept);
            await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CountOutputAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageCounters counters, CancellationToken cancellationToken)
    {
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            CountOutcomes(counters, counters.Stage, batch);
            await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Count(StageCounters counters, string stage, StageBatchResult result)
    {
        counters.AddInput(result.Input);
        counters.AddBusy(result.Busy);
        CountOutcomes(counters, stage, result.Envelopes);
    }

    private static void CountOutcomes(StageCounters counters, string stage, Envelope[] batch)
    {
        var kept = 0;
        foreach (var envelope in batch)
        {
            if (envelope.IsKept)
            {
                kept++;
            }
            else if (envelope.Reject!.Stage == stage)
            {
                counters.AddRejected(envelope.Reject.Rule);
            }
        }

        counters.AddKept(kept);
    }

    private async Task WriteAsync(ChannelReader<Envelope[]> input, SinkState sink, CancellationToken cancellationToken)
    {
        await OrderedParallel.MapAsync(
            input,
            batch => Encode(batch),
            _options.Workers,
            async (encoded, ct) =>
            {
                sink.CheckOrder(encoded.FirstSequence, encoded.LastSequence);
                if (encoded.Kept.Count > 0)
                {
                    await _output!.WriteAsync(encoded.Kept, ct).ConfigureAwait(false);
                }

                if (encoded.Rejects.Count > 0)
                {
                    await _rejects!.WriteAsync(encoded.Rejects, ct).ConfigureAwait(false);
                }

                sink.Kept += encoded.Kept.Count;
                sink.Rejected += encoded.Rejects.Count;
                Interlocked.Add(ref _recordsWritten, encoded.Kept.Count);
                Interlocked.Add(ref _rejectsWritten, encoded.Rejects.Count);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private EncodedBatch Encode(Envelope[] batch)
    {
        var kept = new List<ChatRecord>(batch.Length);
        var rejects = new List<Reject>();
        foreach (var envelope in batch)
        {
            if (envelope.Record is { } record)
            {
                kept.Add(record);
            }
            else
            {
                rejects.Add(envelope.Reject!);
            }
        }

        var first = batch.Length > 0 ? batch[0].Sequence : -1;
        var last = batch.Length > 0 ? batch[^1].Sequence : -1;
        for (var i = 1; i < batch.Length; i++)
        {
            if (batch[i].Sequence <= batch[i - 1].Sequence)
            {
                throw new InvalidOperationException($"envelopes out of order: {batch[i - 1].Sequence} then {batch[i].Sequence}");
            }
        }

        return new EncodedBatch(_output!.Encode(kept), _rejects!.Encode(rejects), first, last);
    }

    private void CountRejectsByFile(Envelope[] batch)
    {
        foreach (var envelope in batch)
        {
            if (envelope.Reject is { Stage: ReadStageName } reject)
            {
                if (!_readRejectsByFile.TryGetValue(reject.Source.File, out var rules))
                {
                    _readRejectsByFile[reject.Source.File] = rules = new SortedDictionary<string, long>(StringComparer.Ordinal);
                }

                rules[reject.Rule] = rules.GetValueOrDefault(reject.Rule) + 1;
            }
        }
    }

    /// <summary>Finishes both files, also after a failure (their partial contents may be kept as *.incomplete); the first fault is returned.</summary>
    private async Task<(IReadOnlyList<OutputFileInfo> Outputs, Exception? Failure)> SealWritersAsync()
    {
        var outputs = new List<OutputFileInfo>(2);
        Exception? failure = null;
        if (_output is null)
        {
            return (outputs, null);
        }

        foreach (var seal in new Func<ValueTask<OutputFileInfo>>[] { () => _output!.SealAsync(CancellationToken.None), () => _rejects!.SealAsync(CancellationToken.None) })
        {
            try
            {
                outputs.Add(await seal().ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CurationException or ObjectDisposedException)
            {
                failure ??= ex;
            }
        }

        return (outputs, failure);
    }

    private void ReportProgress(TimeSpan elapsed) =>
        _observer.OnProgress(new RunProgress(
            Interlocked.Read(ref _recordsRead),
            Interlocked.Read(ref _recordsWritten),
            Interlocked.Read(ref _rejectsWritten),
            _source?.BytesRead ?? _envelopes!.BytesRead,
            _source?.TotalBytes ?? _envelopes!.TotalBytes,
            elapsed,
            Volatile.Read(ref _stageCounters).Where(counters => counters.Activity is not null).Select(counters => $"{counters.Stage}: {counters.Activity}").FirstOrDefault()));

    private Channel<T> CreateChannel<T>() => Channel.CreateBounded<T>(new BoundedChannelOptions(_options.ChannelCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = true,
    });

    /// <summary>Completes the stage's output channel however the stage ends, and stops the whole run when it fails.</summary>
    private static async Task Guard<T>(Task work, ChannelWriter<T>? output, CancellationTokenSource stop)
    {
        try
        {
            await work.ConfigureAwait(false);
            output?.TryComplete();
        }
        catch (Exception ex)
        {
            output?.TryComplete(ex);
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Exception? FirstRealFailure(IEnumerable<Task> tasks)
    {
        Exception? cancellation = null;
        foreach (var task in tasks)
        {
            if (task.Exception is null)
            {
                continue;
            }

            foreach (var inner in task.Exception.Flatten().InnerExceptions)
            {
                if (inner is OperationCanceledException or ChannelClosedException)
                {
                    cancellation ??= inner;
                    continue;
                }

                return inner;
            }
        }

        return cancellation is OperationCanceledException ? null : cancellation;
    }

    private static string Describe(Exception failure) => failure switch
    {
        CurationException => failure.Message,
        IOException or UnauthorizedAccessException when FileFaults.Describe(failure, FaultPath(failure)) is { } message => message,
        IOException or UnauthorizedAccessException => failure.Message,
        _ => $"{failure.GetType().Name}: {failure.Message}",
    };

    // .NET puts the path in quotes at the end of its I/O messages; without one, the fault is named without a path.
    private static string FaultPath(Exception failure)
    {
        var message = failure.Message;
        var end = message.LastIndexOf('\'');
        var start = end > 0 ? message.LastIndexOf('\'', end - 1) : -1;
        return start >= 0 && end > start + 1 ? message[(start + 1)..end] : "device";
    }

    private sealed record EncodedBatch(EncodedChunk Kept, EncodedChunk Rejects, long FirstSequence, long LastSequence);

    /// <summary>Items as read, with the sequence number of the first (a class: see <see cref="StageBatchResult"/>).</summary>
    private sealed record RawBatch(long First, RawItem[] Items);

    private sealed class SinkState
    {
        private long _lastSequence = -1;

        public long Kept { get; set; }

        public long Rejected { get; set; }

        public void CheckOrder(long first, long last)
        {
            if (first < 0)
            {
                return;
            }

            if (first <= _lastSequence)
            {
                throw new InvalidOperationException($"envelopes out of order at the writer: {_lastSequence} then {first}");
            }

            _lastSequence = last;
        }
    }
}
