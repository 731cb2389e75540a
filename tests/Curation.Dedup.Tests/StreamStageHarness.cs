using System.Threading.Channels;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;

namespace Curation.Dedup.Tests;

/// <summary>Feeds records to a stream stage in batches, in order, and collects every envelope it emits.</summary>
internal static class StreamStageHarness
{
    public static async Task<List<Envelope>> RunAsync(IStreamStage stage, IReadOnlyList<Envelope> envelopes, int batchSize = 3, int workers = 2, StageCounters? counters = null)
    {
        var input = Channel.CreateUnbounded<Envelope[]>();
        var output = Channel.CreateUnbounded<Envelope[]>();
        foreach (var batch in envelopes.Chunk(batchSize))
        {
            await input.Writer.WriteAsync(batch);
        }

        input.Writer.Complete();
        // The stage's own files (clusters, exports) are committed as a successful run commits them.
        using var outputs = RunOutputs.Unplanned();
        var context = new StageContext { StageName = stage.Name, Seed = 1, Workers = workers, FailFast = false, Counters = counters ?? new StageCounters(stage.Name), Outputs = outputs };
        await stage.RunAsync(input.Reader, output.Writer, context, CancellationToken.None);
        outputs.Commit();
        output.Writer.Complete();
        var emitted = new List<Envelope>();
        await foreach (var batch in output.Reader.ReadAllAsync())
        {
            emitted.AddRange(batch);
        }

        return emitted;
    }

    public static List<Envelope> Kept(params ChatRecord[] records) =>
        [.. records.Select((record, i) => Envelope.Kept(i, record))];
}
