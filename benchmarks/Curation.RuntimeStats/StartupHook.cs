using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Curation.RuntimeStats;

/// <summary>
/// Loaded by the runtime before <c>Main</c> when named in <c>DOTNET_STARTUP_HOOKS</c> (the runtime looks for this
/// name in the global namespace). At exit it writes one line to standard error: collections per generation, total
/// pause, bytes allocated, methods compiled and the JIT's time. With <c>CURATION_ALLOCATIONS</c> naming a file, it
/// also samples allocations by type (the runtime's allocation ticks, about one per 100 KB) and writes them there.
/// </summary>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = "The runtime finds startup hooks by this exact global name.")]
internal static class StartupHook
{
    private static AllocationSampler? s_sampler;

    public static void Initialize()
    {
        var allocationsFile = Environment.GetEnvironmentVariable("CURATION_ALLOCATIONS");
        if (!string.IsNullOrEmpty(allocationsFile))
        {
            s_sampler = new AllocationSampler();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Console.Error.WriteLine(RuntimeFigures.Now());
            if (s_sampler is { } sampler)
            {
                try
                {
                    File.WriteAllLines(allocationsFile!, sampler.ByType().Select(entry => string.Create(CultureInfo.InvariantCulture, $"{entry.Bytes / 1e6:0.0}\t{entry.Type}")));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"runtime: cannot write the allocations to {allocationsFile} (CURATION_ALLOCATIONS): {ex.Message}");
                }
            }
        };
    }
}
