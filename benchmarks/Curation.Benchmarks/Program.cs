using BenchmarkDotNet.Running;

namespace Curation.Benchmarks;

/// <summary>
/// Micro benchmarks of the hot paths: decode, normalise, validate, encode and read. Each invocation processes a fixed
/// corpus generated with a fixed seed, and the summary reports its size (Input MB) and throughput (MB/s).
/// <code>
/// dotnet run -c Release --project benchmarks/Curation.Benchmarks -- --filter '*'               # full run
/// dotnet run -c Release --project benchmarks/Curation.Benchmarks -- --filter '*' --job short   # quick run
/// dotnet run -c Release --project benchmarks/Curation.Benchmarks -- --filter '*Decode*' --job short
/// dotnet run -c Release --project benchmarks/Curation.Benchmarks -- --list flat
/// dotnet run -c Release --project benchmarks/Curation.Benchmarks -- --filter '*' --job Dry --inProcess   # smoke: each runs once
/// dotnet run -c Release --project benchmarks/Curation.Benchmarks -- scaling 15 cl100k_base   # token counting, one vs two threads, interleaved
/// </code>
/// Results go to BenchmarkDotNet.Artifacts/ in the current directory.
/// </summary>
internal static class Program
{
    /// <returns>1 when a benchmark failed to build or run, so that a smoke run in CI fails with it.</returns>
    public static int Main(string[] args)
    {
        if (args is [TwoThreadScaling.Command, .. var scalingArguments])
        {
            return TwoThreadScaling.Run(scalingArguments);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
        var failed = summaries
            .SelectMany(summary => summary.Reports.Where(report => !report.Success).Select(report => report.BenchmarkCase.DisplayInfo)
                .Concat(summary.HasCriticalValidationErrors ? [summary.Title + ": invalid benchmark"] : []))
            .ToList();
        foreach (var benchmark in failed)
        {
            Console.Error.WriteLine($"error: {benchmark} failed");
        }

        return failed.Count > 0 ? 1 : 0;
    }
}
