using System.Collections.Concurrent;
using System.Globalization;
using Curation.Evaluation.Runs;

namespace Curation.Cli.Commands.Eval;

/// <summary>Progress of an eval as plain lines on stderr: each arm's start, then its answered calls every few seconds.</summary>
internal sealed class EvalLogProgress(TextWriter error, TimeProvider time) : IEvalProgress
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, ArmCounts> _arms = new(StringComparer.Ordinal);
    private readonly TextWriter _error = TextWriter.Synchronized(error);

    public void ArmStarted(string arm, int calls, int cached)
    {
        _arms[arm] = new ArmCounts(calls - cached, time.GetTimestamp());
        _error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eval: {arm}: {calls} calls, {cached} from the cache, {calls - cached} to make"));
    }

    public void CallFinished(string arm, bool failed)
    {
        var counts = _arms[arm];
        var done = Interlocked.Increment(ref counts.Done);
        if (failed)
        {
            Interlocked.Increment(ref counts.Failed);
        }

        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref counts.LastLine);
        if (time.GetElapsedTime(last, now) >= Interval && Interlocked.CompareExchange(ref counts.LastLine, now, last) == last)
        {
            _error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eval: {arm}: {done}/{counts.ToMake} answered, {counts.Failed} failed"));
        }
    }

    public void ArmFinished(string arm)
    {
        var counts = _arms[arm];
        if (counts.ToMake > 0)
        {
            _error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eval: {arm}: done, {counts.Done}/{counts.ToMake} answered, {counts.Failed} failed"));
        }
    }

    public void Note(string line) => _error.WriteLine($"eval: {line}");

    private sealed class ArmCounts(int toMake, long started)
    {
        public int Done;
        public int Failed;
        public long LastLine = started;

        public int ToMake => toMake;
    }
}
