using Microsoft.Extensions.Time.Testing;

namespace Curation.Evaluation.Tests.Faults;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows its pending timers, so a test can move fake time straight to the next
/// retry delay (a backoff or an advised wait) while HTTP runs on the wall clock. Timers due after exactly
/// <paramref name="attemptTimeout"/> are the attempts' timeouts: <see cref="RunAsync"/> only fires those while the
/// fault server stalls a request, so a request on its way is never timed out by a jump of fake time.
/// </summary>
internal sealed class TestClock(TimeSpan attemptTimeout) : TimeProvider
{
    private readonly TimeSpan _attemptTimeout = attemptTimeout;

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _fake = new(Start);
    private readonly Lock _lock = new();
    private readonly List<Tracked> _timers = [];

    public FakeTimeProvider Fake => _fake;

    /// <summary>Retry delays that were waited out, in order.</summary>
    public List<TimeSpan> DelaysWaited { get; } = [];

    /// <summary>Lengths of the retry delays pending now.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays
    {
        get
        {
            lock (_lock)
            {
                return [.. _timers.Where(timer => timer.Pending && !timer.IsTimeout).Select(timer => timer.Length)];
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new Tracked(this);
        lock (_lock)
        {
            tracked.Set(_fake.GetUtcNow(), dueTime);
            _timers.Add(tracked);
        }

        tracked.Inner = _fake.CreateTimer(
            s =>
            {
                tracked.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
        return tracked;
    }

    /// <summary>
    /// Until <paramref name="work"/> ends: whenever a retry delay is pending, jumps fake time to it; once for each
    /// request the server stalled (<paramref name="stalls"/> counts them), jumps to the earliest attempt timeout.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> work, Func<int> stalls)
    {
        var timeoutsFired = 0;
        while (!work.IsCompleted)
        {
            if (TryJump(includeTimeouts: stalls() > timeoutsFired) is { } fired)
            {
                timeoutsFired += fired ? 1 : 0;
                await Task.Yield();
            }
            else
            {
                await Task.WhenAny(work, Task.Delay(1));
            }
        }

        return await work;
    }

    /// <summary>Null when nothing was due; else whether the jump was to an attempt timeout.</summary>
    private bool? TryJump(bool includeTimeouts)
    {
        TimeSpan jump;
        bool firedTimeout;
        lock (_lock)
        {
            _timers.RemoveAll(timer => !timer.Pending);
            var next = _timers.Where(timer => !timer.IsTimeout).OrderBy(timer => timer.Due).FirstOrDefault()
                ?? (includeTimeouts ? _timers.OrderBy(timer => timer.Due).FirstOrDefault() : null);
            if (next is null)
            {
                return null;
            }

            jump = next.Due - _fake.GetUtcNow();
            if (!next.IsTimeout)
            {
                DelaysWaited.Add(next.Length);
            }

            next.Pending = false;
            firedTimeout = next.IsTimeout;
        }

        if (jump > TimeSpan.Zero)
        {
            _fake.Advance(jump);
        }

        return firedTimeout;
    }

    private sealed class Tracked(TestClock clock) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public bool IsTimeout { get; private set; }

        public bool Pending { get; set; }

        public DateTimeOffset Due { get; private set; }

        public TimeSpan Length { get; private set; }

        public void Set(DateTimeOffset now, TimeSpan dueTime)
        {
            Pending = dueTime != Timeout.InfiniteTimeSpan;
            Due = Pending ? now + dueTime : DateTimeOffset.MaxValue;
            Length = dueTime;
            IsTimeout = dueTime == clock._attemptTimeout;
        }

        public void Fired()
        {
            lock (clock._lock)
            {
                Pending = false;
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                Set(clock._fake.GetUtcNow(), dueTime);
                if (Pending && !clock._timers.Contains(this))
                {
                    clock._timers.Add(this);
                }
            }

            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Fired();
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Fired();
            return Inner.DisposeAsync();
        }
    }
}
