using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using Curation.Benchmarks.Reporting;

namespace Curation.Benchmarks;

/// <summary>
/// Adds the input size, throughput and allocation columns. Jobs come from the command line (default job, or
/// <c>--job short</c> for a quick run).
/// </summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddColumn(new InputSizeColumn(), new ThroughputColumn(), new RecordsPerSecondColumn());
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
