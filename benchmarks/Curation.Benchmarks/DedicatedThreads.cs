namespace Curation.Benchmarks;

/// <summary>
/// Long-lived threads that each run their part of a piece of work when asked, as a pipeline's workers do: the same
/// part always runs on the same thread, so per-thread caches stay warm from one operation to the next. A thread-pool
/// loop (<c>Parallel.For</c>) hands a part to whichever pool thread is free, whose caches may be cold.
/// </summary>
internal sealed class DedicatedThreads : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _starts;
    private readonly CountdownEvent _finished;
    private Action<int>? _work;
    private bool _stopping;

    public DedicatedThreads(int count)
    {
        _starts = [.. Enumerable.Range(0, count).Select(_ => new SemaphoreSlim(0))];
        _finished = new CountdownEvent(count);
        _threads = [.. Enumerable.Range(0, count).Select(part => new Thread(() => Loop(part)) { IsBackground = true, Name = $"part {part}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Runs <paramref name="work"/>(part) on each thread and waits for all of them.</summary>
    public void Run(Action<int> work)
    {
        _work = work;
        _finished.Reset();
        foreach (var start in _starts)
        {
            start.Release();
        }

        _finished.Wait();
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var start in _starts)
        {
            start.Release();
        }

        foreach (var thread in _threads)
        {
            thread.Join();
        }

        foreach (var start in _starts)
        {
            start.Dispose();
        }

        _finished.Dispose();
    }

    private void Loop(int part)
    {
        while (true)
        {
            _starts[part].Wait();
            if (_stopping)
            {
                return;
            }

            _work!(part);
            _finished.Signal();
        }
    }
}
