using System.Globalization;
using System.Threading.Channels;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.Review.Decisions;

namespace Curation.Review.Queue;

/// <summary>
/// Passes every record on unchanged and chooses, from the records the run kept and the ones earlier stages rejected,
/// the ones worth a reviewer's look; when the input ends it writes them for Label Studio or Argilla beside the outputs
/// and records the batch in the review store. Selection holds only the records it may still choose. Every selector
/// chooses from parts of the input what it chooses from the whole (bottom-k samples, counts that add up), so shard
/// tasks each select from their shard and the merge finishes a selection built from theirs (<see cref="ICollectingStage"/>).
/// </summary>
internal sealed class ReviewExportStage(ReviewExportOptions options, DecisionStore store, string folder, long seed, string name) : ICollectingStage, IStageFiles
{
    public const string ReviewRole = "review";

    private readonly ReviewSelection _selection = options.Selection(seed);

    public string Name { get; } = name;

    public IEnumerable<PlannedOutput> Writes => [PlannedOutput.ForStage(Name, "dir", folder, ReviewRole, isFolder: true)];

    public IEnumerable<PlannedRead> Reads => [PlannedRead.ForStage(Name, "store", store.Folder, isFolder: true)];

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            Offer(batch);
            await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        Finish(context);
    }

    public void Offer(ReadOnlySpan<Envelope> envelopes)
    {
        foreach (var envelope in envelopes)
        {
            if (CandidateOf(envelope) is { } candidate)
            {
                _selection.Offer(candidate);
            }
        }
    }

    public CollectedPart Save() => new(
        [.. _selection.Held().Select(candidate => candidate.Reject is { } reject ? Envelope.Rejected(candidate.Order, reject) : Envelope.Kept(candidate.Order, candidate.Record))],
        ReportFigures.Save(new Figures(_selection.Describe(), [.. _selection.Offered().Select(counts => new SortedDictionary<string, long>(counts.ToDictionary(), StringComparer.Ordinal))])));

    public void Add(CollectedPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        var figures = ReportFigures.Read<Figures>(part.Figures, Name);
        if (figures.Selection != _selection.Describe() || figures.Offered.Count != _selection.Offered().Count)
        {
            throw new CurationException($"stage '{Name}': a part selected by '{figures.Selection}', not by '{_selection.Describe()}': remove the work folder and run again");
        }

        _selection.AddOffered(figures.Offered);
        foreach (var envelope in part.Envelopes)
        {
            if (CandidateOf(envelope) is { } candidate)
            {
                _selection.Restore(candidate);
            }
        }
    }

    public void Finish(StageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var queue = ReviewQueue.ForRecords(options.Tool, _selection.Describe(), _selection.Items());
        if (queue.Count == 0)
        {
            context.Counters.AddNote($"nothing to review: no record matched ({_selection.Describe()}); nothing written");
            return;
        }

        // The batch is recorded in the store only once the export is in place, i.e. when the whole run succeeds.
        var staged = context.Outputs.CreateFolder(folder);
        ReviewExporter.WriteFiles(queue, options.Tool, staged.TemporaryPath, options.Dataset ?? Name);
        context.Outputs.Seal(staged, ReviewRole, queue.Count);
        context.Outputs.AfterCommit(() => store.AddBatch(queue.Batch));

        context.Counters.AddNote(string.Create(
            CultureInfo.InvariantCulture,
            $"{queue.Count} records for review ({_selection.Describe()}) in batch {queue.Batch.Id}: {DisplayPath.For(folder)} for {ReviewQueue.ToolName(options.Tool)}; batch recorded in {store.DisplayFolder}"));
    }

    private static ReviewCandidate? CandidateOf(Envelope envelope) => envelope switch
    {
        { Record: { } record } => new ReviewCandidate(record, envelope.Sequence),
        { Reject: { Record: { } rejected } reject } => new ReviewCandidate(rejected, envelope.Sequence, reject),
        _ => null,
    };

    private sealed record Figures(string Selection, IReadOnlyList<SortedDictionary<string, long>> Offered);
}
