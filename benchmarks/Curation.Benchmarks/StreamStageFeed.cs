using System.Threading.Channels;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;

namespace Curation.Benchmarks;

/// <summary>Runs a stream stage as a pipeline feeds it: batches through a bounded channel, output drained at the end.</summary>
internal static class StreamStageFeed
{
    /// <returns>Envelopes kept and rejected by the stage.</returns>
    public static async Task<(int Kept, int Rejected)> RunAsync(IStreamStage stage, IReadOnlyList<Envelope[]> batches, int workers)
    {
        var input = Channel.CreateBounded<Envelope[]>(4);
        var output = Channel.CreateUnbounded<Envelope[]>();
        var context = new StageContext
        {
            StageName = stage.Name,
            Seed = 1,
            Workers = workers,
            FailFast = false,
            Counters = new StageCounters(stage.Name),
        };
        var feeding = Task.Run(async () =>
        {
            foreach (var batch in batches)
            {
                await input.Writer.WriteAsync(batch);
            }

            input.Writer.Complete();
        });
        await stage.RunAsync(input.Reader, output.Writer, context, CancellationToken.None);
        await feeding;
        output.Writer.Complete();
        var (kept, rejected) = (0, 0);
        await foreach (var batch in output.Reader.ReadAllAsync())
        {
            foreach (var envelope in batch)
            {
                _ = envelope.IsKept ? kept++ : rejected++;
            }
        }

        return (kept, rejected);
    }
}
