using System.Globalization;
using System.Runtime;

namespace Curation.RuntimeStats;

/// <summary>The process's collection, allocation and JIT counters as one line.</summary>
internal static class RuntimeFigures
{
    public static string Now() => string.Create(
        CultureInfo.InvariantCulture,
        $"runtime: gc gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms; allocated {GC.GetTotalAllocatedBytes() / 1e6:0} MB; jit {JitInfo.GetCompiledMethodCount()} methods, {JitInfo.GetCompilationTime().TotalMilliseconds:0} ms");
}
