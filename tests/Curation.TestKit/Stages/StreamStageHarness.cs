using System.Threading.Channels;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;

namespace Curation.TestKit.Stages;

/// <summary>What a stream stage wrote, in order, and its counters.</summary>
public sealed record StreamStageOutput(List<Envelope> Envelopes, StageCounters Counters);

/// <summary>Feeds envelopes to a stream stage in batches, in order, without the rest of the runtime, and collects every envelope it writes.</summary>
public static class StreamStageHarness
{
    public static async Task<StreamStageOutput> RunAsync(IStreamStage stage, IReadOnlyList<Envelope> envelopes, int batchSize = 3, int workers = 2, StageCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(envelopes);
        var input = Channel.CreateUnbounded<Envelope[]>();
        var output = Channel.CreateUnbounded<Envelope[]>();
        foreach (var batch in envelopes.Chunk(batchSize))
        {
            await input.Writer.WriteAsync(batch);
        }

        input.Writer.Complete();
        counters ??= new StageCounters(stage.Name);
        // The stage's own files (clusters, exports) are committed as a successful run commits them.
        using var outputs = RunOutputs.Unplanned();
        var context = new StageContext { StageName = stage.Name, Seed = 1, Workers = workers, FailFast = false, Counters = counters, Outputs = outputs };
        await stage.RunAsync(input.Reader, output.Writer, context, CancellationToken.None);
        outputs.Commit();
        output.Writer.Complete();
        var emitted = new List<Envelope>();
        await foreach (var batch in output.Reader.ReadAllAsync())
        {
            emitted.AddRange(batch);
        }

        return new StreamStageOutput(emitted, counters);
    }

    public static List<Envelope> Kept(params ChatRecord[] records) => [.. records.Select((record, i) => Envelope.Kept(i, record))];
}
