using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Curation.RuntimeStats;

/// <summary>
/// Adds up the runtime's allocation ticks by type. A tick fires after about 100 KB allocated on a thread and names
/// the type whose allocation crossed the mark, so the sums estimate bytes allocated per type.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    public IEnumerable<(string Type, long Bytes)> ByType() =>
        _bytes.OrderByDescending(entry => entry.Value).Select(entry => (entry.Key, entry.Value));

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var type = names.IndexOf("TypeName");
        var amount = names.IndexOf("AllocationAmount64");
        if (type >= 0 && amount >= 0 && eventData.Payload![type] is string name)
        {
            var bytes = Convert.ToInt64(eventData.Payload[amount], System.Globalization.CultureInfo.InvariantCulture);
            _bytes.AddOrUpdate(name, bytes, (_, sum) => sum + bytes);
        }
    }
}
