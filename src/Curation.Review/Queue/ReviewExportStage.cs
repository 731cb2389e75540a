using System.Globalization;
using System.Threading.Channels;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Review.Decisions;

namespace Curation.Review.Queue;

/// <summary>
/// Passes every record on unchanged and chooses, from the records the run kept and the ones earlier stages rejected,
/// the ones worth a reviewer's look; when the input ends it writes them for Label Studio or Argilla beside the outputs
/// and records the batch in the review store. Selection holds only the records it may still choose.
/// </summary>
internal sealed class ReviewExportStage(ReviewExportOptions options, DecisionStore store, string folder, long seed, string name) : IStreamStage, IStageFiles
{
    public const string ReviewRole = "review";

    public string Name { get; } = name;

    public IEnumerable<PlannedOutput> Writes => [PlannedOutput.ForStage(Name, "dir", folder, ReviewRole, isFolder: true)];

    public IEnumerable<PlannedRead> Reads => [PlannedRead.ForStage(Name, "store", store.Folder, isFolder: true)];

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        var selection = options.Selection(seed);
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var envelope in batch)
            {
                if (envelope.Record is { } record)
                {
                    selection.Offer(new ReviewCandidate(record, envelope.Sequence));
                }
                else if (envelope.Reject is { Record: { } rejected } reject)
                {
                    selection.Offer(new ReviewCandidate(rejected, envelope.Sequence, reject));
                }
            }

            await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        var queue = ReviewQueue.ForRecords(options.Tool, selection.Describe(), selection.Items());
        if (queue.Count == 0)
        {
            context.Counters.AddNote($"nothing to review: no record matched ({selection.Describe()}); nothing written");
            return;
        }

        // The batch is recorded in the store only once the export is in place, i.e. when the whole run succeeds.
        var staged = context.Outputs.CreateFolder(folder);
        ReviewExporter.WriteFiles(queue, options.Tool, staged.TemporaryPath, options.Dataset ?? Name);
        context.Outputs.Seal(staged, ReviewRole, queue.Count);
        context.Outputs.AfterCommit(() => store.AddBatch(queue.Batch));

        context.Counters.AddNote(string.Create(
            CultureInfo.InvariantCulture,
            $"{queue.Count} records for review ({selection.Describe()}) in batch {queue.Batch.Id}: {Curation.Core.Files.DisplayPath.For(folder)} for {ReviewQueue.ToolName(options.Tool)}; batch recorded in {store.DisplayFolder}"));
    }
}
