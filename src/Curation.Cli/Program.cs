using System.Runtime;
using Curation.Cli;

// Concurrent collection is enabled in the project only for its small young-generation budget; full collections stay
// blocking, so that they compact the old generation (ConserveMemory), as the memory figures for large dedup runs
// were measured.
GCSettings.LatencyMode = GCLatencyMode.Batch;

return await CurateApp.RunAsync(args, Console.Out, Console.Error);
