using System.Threading.Channels;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.Splits;

namespace Curation.Pipeline.ScaleOut.Boundary;

/// <summary>
/// The split stage in the step after its split step, in one shard's task: each record it keeps, in input order, takes
/// the next of the shard's assignments, gets its split's name in its metadata (the stage's own code), goes on down
/// the pipeline and, when the split files can hold it, to the shard's part of its split's file, which the merge joins
/// in shard order. Its notes are the split step's, the single process's.
/// </summary>
internal sealed class ResolvedSplitStage(SplitStage stage, SplitExchange exchange, int shard, IReadOnlyList<string> partFiles) : IStreamStage
{
    public string Name => stage.Name;

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        var assignments = exchange.AssignmentsOf(shard);
        var (notes, _) = exchange.LoadResolved();
        using var parts = RunOutputs.Unplanned();
        var writers = new List<IRecordWriter<ChatRecord>>(partFiles.Count);
        try
        {
            writers.AddRange(partFiles.Select(file => stage.CreatePartWriter(parts, file)));
            var next = 0;
            var perSplit = partFiles.Select(_ => new List<ChatRecord>()).ToArray();
            await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var result = batch;
                for (var i = 0; i < batch.Length; i++)
                {
                    if (batch[i].Record is not { } record)
                    {
                        continue;
                    }

                    if (next == assignments.Length)
                    {
                        throw Mismatch(assignments.Length, "more");
                    }

                    var split = assignments[next++];
                    var marked = stage.Mark(record, split);
                    result = result == batch ? (Envelope[])batch.Clone() : result;
                    result[i] = Envelope.Kept(batch[i].Sequence, marked);
                    if (stage.CanWrite(marked))
                    {
                        perSplit[split].Add(marked);
                    }
                }

                await SplitStage.WriteSplitsAsync(writers, perSplit, cancellationToken).ConfigureAwait(false);

                await output.WriteAsync(result, cancellationToken).ConfigureAwait(false);
            }

            if (next != assignments.Length)
            {
                throw Mismatch(assignments.Length, $"only {next}");
            }

            foreach (var writer in writers)
            {
                await writer.SealAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        parts.Commit();
        foreach (var note in notes)
        {
            context.Counters.AddNote(note);
        }
    }

    private CurationException Mismatch(int assigned, string found) => new(
        $"stage '{Name}': its split step assigned {assigned} records of shard {shard} but {found} reached it here: the parts of the steps around it do not match; remove the work folder and run again");
}

/// <summary>Hands a step's envelopes on and writes, for the split step after it, the key of every record it keeps, in input order.</summary>
internal sealed class SplitKeyWritingSink(IEnvelopeSink inner, SplitStage stage, SplitExchange.KeysWriter keys) : IEnvelopeSink
{
    public ValueTask WriteAsync(Envelope[] batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var envelope in batch)
        {
            if (envelope.Record is { } record)
            {
                keys.Add(stage.KeyOf(record));
            }
        }

        return inner.WriteAsync(batch, cancellationToken);
    }
}
