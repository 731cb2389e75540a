using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Curation.Benchmarks.Corpus;

namespace Curation.Benchmarks.Reporting;

/// <summary>A column computed from the benchmark's <see cref="ThroughputAttribute"/> input; MB are 10^6 bytes.</summary>
public abstract class CorpusColumn : IColumn
{
    public abstract string Id { get; }

    public abstract string ColumnName { get; }

    public abstract string Legend { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var corpus = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<ThroughputAttribute>()?.Corpus;
        if (corpus is not { } kind)
        {
            return "-";
        }

        var megabytes = Corpora.BytesOf(kind) / 1e6;
        var value = Compute(megabytes, Corpora.RecordsOf(kind), summary[benchmarkCase]?.ResultStatistics?.Mean);
        return value is { } number ? number.ToString("N1", style?.CultureInfo ?? CultureInfo.InvariantCulture) : "NA";
    }

    public override string ToString() => ColumnName;

    /// <param name="megabytes">Input size.</param>
    /// <param name="records">Records in the input; null where the input is a file read as bytes.</param>
    /// <param name="meanNanoseconds">Mean time of one invocation; null when the benchmark did not run.</param>
    protected abstract double? Compute(double megabytes, int? records, double? meanNanoseconds);
}

/// <summary>Input size of one invocation.</summary>
public sealed class InputSizeColumn : CorpusColumn
{
    public override string Id => "Curation.InputMB";

    public override string ColumnName => "Input MB";

    public override string Legend => "Input processed by one invocation: JSONL bytes, uncompressed (1 MB = 10^6 bytes)";

    protected override double? Compute(double megabytes, int? records, double? meanNanoseconds) => megabytes;
}

/// <summary>Input size over mean time.</summary>
public sealed class ThroughputColumn : CorpusColumn
{
    public override string Id => "Curation.Throughput";

    public override string ColumnName => "MB/s";

    public override string Legend => "Input MB / Mean: uncompressed JSONL megabytes (10^6 bytes) per second";

    protected override double? Compute(double megabytes, int? records, double? meanNanoseconds) =>
        meanNanoseconds is > 0 ? megabytes / (meanNanoseconds.Value / 1e9) : null;
}

/// <summary>Records over mean time.</summary>
public sealed class RecordsPerSecondColumn : CorpusColumn
{
    public override string Id => "Curation.RecordsPerSecond";

    public override string ColumnName => "records/s";

    public override string Legend => "Records in the input / Mean";

    protected override double? Compute(double megabytes, int? records, double? meanNanoseconds) =>
        meanNanoseconds is > 0 && records is { } count ? count / (meanNanoseconds.Value / 1e9) : null;
}
