using System.Globalization;
using System.Threading.Channels;
using Curation.Training.Generation;
using Curation.Training.Lora;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Serving.Scheduling;

/// <summary>
/// Decodes every request the server accepts in one continuous batch on one thread of its own: waiting requests take
/// free rows at the next step, finished ones leave at once (<see cref="DecodeBatch"/>). The queue in front is bounded:
/// a request that finds it full is refused at once rather than left to time out.
/// </summary>
internal sealed class GenerationScheduler : IDisposable
{
    private readonly CausalLm _model;
    private readonly ServedAdapters _adapters;
    private readonly AccessLog _log;
    private readonly Device _device;
    private readonly int _maxBatch;
    private readonly Channel<GenerationJob> _waiting;
    private readonly Dictionary<int, GenerationJob> _running = [];
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;
    private long _inFlight;

    public GenerationScheduler(CausalLm model, ServedAdapters adapters, Device device, int maxBatch, int maxQueue, AccessLog log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueue, 1);
        _model = model;
        _adapters = adapters;
        _log = log;
        _device = device;
        _maxBatch = maxBatch;
        _waiting = Channel.CreateBounded<GenerationJob>(new BoundedChannelOptions(maxQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _thread = new Thread(Run) { IsBackground = true, Name = "curate-generation" };
        _thread.Start();
    }

    /// <summary>Requests queued or decoding.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Completes when the queue is closed and every accepted request has its reply.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Queues <paramref name="job"/>; false when the queue is full or closed.</summary>
    public bool TryEnqueue(GenerationJob job)
    {
        Interlocked.Increment(ref _inFlight);
        if (_waiting.Writer.TryWrite(job))
        {
            return true;
        }

        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>Takes no new request; those accepted are still decoded.</summary>
    public void CloseQueue() => _waiting.Writer.TryComplete();

    public void Dispose()
    {
        CloseQueue();
        _thread.Join();
    }

    private void Run()
    {
        var batch = new DecodeBatch(_model, _device, OnToken, _adapters);
        try
        {
            while (true)
            {
                Admit(batch);
                if (batch.Count == 0)
                {
                    if (!_waiting.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                    {
                        break;
                    }

                    continue;
                }

                try
                {
                    foreach (var (id, result) in batch.Step())
                    {
                        Finish(id, result);
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    FailRunning(ex);
                    batch.Dispose();
                    batch = new DecodeBatch(_model, _device, OnToken, _adapters);
                }
            }
        }
        finally
        {
            batch.Dispose();
            _stopped.TrySetResult();
        }
    }

    // Every waiting request that fits joins at once: their prompts run in one pass.
    private void Admit(DecodeBatch batch)
    {
        var joining = new List<(int Id, DecodeRequest Request)>();
        while (batch.Count + joining.Count < _maxBatch && _waiting.Reader.TryRead(out var job))
        {
            if (job.Aborted.IsCancellationRequested)
            {
                job.Cancel();
                Interlocked.Decrement(ref _inFlight);
                continue;
            }

            var id = _nextId++;
            _running[id] = job;
            joining.Add((id, job.Request));
        }

        if (joining.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var (id, ended) in batch.Add(joining))
            {
                Finish(id, ended);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            foreach (var (id, _) in joining)
            {
                if (_running.Remove(id, out var job))
                {
                    job.Fail(ex);
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }
    }

    private void OnToken(int id, int token) => _running[id].OnToken(token);

    private void Finish(int id, DecodedIds result)
    {
        if (_running.Remove(id, out var job))
        {
            if (job.Aborted.IsCancellationRequested)
            {
                _log.Line(string.Create(CultureInfo.InvariantCulture, $"{job.Model}: the client went away; its sequence ended after {result.Ids.Count} tokens"));
            }

            job.Finish(result);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void FailRunning(Exception error)
    {
        foreach (var job in _running.Values)
        {
            job.Fail(error);
            Interlocked.Decrement(ref _inFlight);
        }

        _running.Clear();
    }
}
