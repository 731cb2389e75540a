using System.Threading.Channels;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Dedup.Near.Sharded;

/// <summary>
/// Near-dedup in the step after its cluster step: each record that reaches it is the next document of its shard, and
/// gets the decision the cluster step made for it, applied by the stage's own code (rejected naming the kept member,
/// or kept with its cluster's metadata), under the stage's name and with the cluster step's notes, so its counts,
/// rejects, records and notes are the single-process ones.
/// </summary>
internal sealed class ResolvedClustersStage(NearDedupStage stage, Func<ClusterDecisions> decisions) : IStreamStage
{
    public string Name => stage.Name;

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        var resolved = decisions();
        foreach (var note in resolved.Notes)
        {
            context.Counters.AddNote(note);
        }

        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = new Envelope[batch.Length];
            for (var i = 0; i < batch.Length; i++)
            {
                result[i] = batch[i].Record is { } record ? stage.Apply(batch[i].Sequence, record, resolved.Next(batch[i].Sequence)) : batch[i];
            }

            await output.WriteAsync(result, cancellationToken).ConfigureAwait(false);
        }

        resolved.CheckComplete();
    }
}
