using System.Threading.Channels;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Core.Stats;

namespace Curation.Review.Tests;

/// <summary>Runs a stream stage over envelopes in batches and collects what it writes, with its counters.</summary>
internal static class StreamStageHarness
{
    public static async Task<(List<Envelope> Output, StageCounters Counters)> RunAsync(IStreamStage stage, IReadOnlyList<Envelope> input, int batchSize = 3)
    {
        var inChannel = Channel.CreateUnbounded<Envelope[]>();
        var outChannel = Channel.CreateUnbounded<Envelope[]>();
        foreach (var batch in input.Chunk(batchSize))
        {
            await inChannel.Writer.WriteAsync(batch);
        }

        inChannel.Writer.Complete();
        var counters = new StageCounters(stage.Name);
        // The stage's own files (clusters, exports) are committed as a successful run commits them.
        using var outputs = RunOutputs.Unplanned();
        var context = new StageContext { StageName = stage.Name, Seed = 1, Workers = 2, FailFast = false, Counters = counters, Outputs = outputs };
        await stage.RunAsync(inChannel.Reader, outChannel.Writer, context, CancellationToken.None);
        outputs.Commit();
        outChannel.Writer.Complete();
        var output = new List<Envelope>();
        await foreach (var batch in outChannel.Reader.ReadAllAsync())
        {
            output.AddRange(batch);
        }

        return (output, counters);
    }

    public static List<Envelope> Kept(params ChatRecord[] records) => [.. records.Select((r, i) => Envelope.Kept(i, r))];
}
