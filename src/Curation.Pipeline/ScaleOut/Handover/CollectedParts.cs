using System.Threading.Channels;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.Core.Stats;

namespace Curation.Pipeline.ScaleOut.Handover;

/// <summary>
/// A collecting stage (<see cref="ICollectingStage"/>: review-export) in a shard task: every envelope goes on unchanged
/// and is offered to the stage; when the input ends, what the stage kept goes to the task's part (envelopes in the
/// hand-over form, sequences of the shard) and its figures to the task's stats, instead of its files. The merge
/// finishes the stage from every task's part (<see cref="CollectedParts"/>).
/// </summary>
internal sealed class CollectingTaskStage(ICollectingStage stage, string partFile) : IStreamStage
{
    public string Name => stage.Name;

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            stage.Offer(batch);
            await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        var part = stage.Save();
        using (var writer = new EnvelopePartWriter(partFile))
        {
            writer.Write([.. part.Envelopes]);
            writer.Commit();
        }

        context.Counters.Figures = part.Figures;
    }
}

/// <summary>The collecting stages of a sharded run, finished by the merge from what every task kept, as one process finishes them.</summary>
internal static class CollectedParts
{
    /// <summary>The collecting stages of a step of tasks, wrapped to write their parts instead of their files.</summary>
    public static List<PipelineStep> InTask(List<PipelineStep> stages, WorkDirectory work, ShardStep step, int task, int tasks) =>
        [.. stages.Select(stage => stage.Stage is ICollectingStage collecting
            ? stage with { Stage = new CollectingTaskStage(collecting, work.CollectedPart(step.Index, collecting.Name, task, tasks)) }
            : stage)];

    /// <summary>
    /// Adds every task's part into the merge's own instance of the stage, in shard order (each part's sequences
    /// following on from the shard before, as one process numbers its input), and finishes it: its files go to the
    /// run's staged outputs, its notes to <paramref name="counters"/>.
    /// </summary>
    /// <exception cref="CurationException">A part is missing or cut short, or a task saved no figures for the stage.</exception>
    public static async Task FinishAsync(
        ICollectingStage stage, StageCounters counters, IReadOnlyList<TaskStats> tasks, int stageIndex, WorkDirectory work, ShardPlan plan, int step, long seed, RunOutputs outputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(plan);
        var source = new ShardPartsSource([.. Enumerable.Range(0, plan.Tasks).Select(task => work.CollectedPart(step, stage.Name, task, plan.Tasks))]);
        var byShard = Enumerable.Range(0, plan.Tasks).Select(_ => new List<Envelope>()).ToArray();
        await foreach (var batch in source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var envelope in batch)
            {
                byShard[source.ShardOf(envelope.Sequence).Shard].Add(envelope);
            }
        }

        foreach (var task in tasks)
        {
            var figures = task.Stages[stageIndex].Figures
                ?? throw new CurationException($"task {task.Task} saved no figures for stage '{stage.Name}': remove {DisplayPath.For(work.Path)} and run again");
            stage.Add(new CollectedPart(byShard[task.Task], figures));
        }

        stage.Finish(new StageContext { StageName = stage.Name, Seed = seed, Workers = 1, FailFast = false, Counters = counters, Outputs = outputs });
    }
}
