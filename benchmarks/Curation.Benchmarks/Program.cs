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
/// </code>
/// Results go to BenchmarkDotNet.Artifacts/ in the current directory.
/// </summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
