using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.Core.Runtime;

/// <summary>Applies a per-record stage to one batch: rejects pass through, an exception on one record becomes a reject.</summary>
internal static class RecordStageExecutor
{
    public const string StageErrorRule = "stage-error";

    public static StageBatchResult Apply(IRecordStage stage, Envelope[] batch, bool failFast, TimeProvider time)
    {
        var started = time.GetTimestamp();
        var output = new Envelope[batch.Length];
        var input = 0;
        for (var i = 0; i < batch.Length; i++)
        {
            var envelope = batch[i];
            if (envelope.Record is not { } record)
            {
                output[i] = envelope;
                continue;
            }

            input++;
            output[i] = ApplyOne(stage, envelope.Sequence, record, failFast);
        }

        return new StageBatchResult(output, input, time.GetElapsedTime(started));
    }

    private static Envelope ApplyOne(IRecordStage stage, long sequence, ChatRecord record, bool failFast)
    {
        StageResult result;
        try
        {
            result = stage.Apply(record);
        }
        catch (Exception ex) when (!failFast && ex is not OperationCanceledException)
        {
            return Envelope.Rejected(sequence, new Reject(stage.Name, StageErrorRule, $"{ex.GetType().Name}: {ex.Message}", record.Source) { Record = record });
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not CurationException)
        {
            throw new CurationException($"{record.Source}: stage '{stage.Name}' failed on record '{record.Id}': {ex.Message}", ex);
        }

        return result.Record is { } kept
            ? Envelope.Kept(sequence, kept)
            : Envelope.Rejected(sequence, new Reject(stage.Name, result.Rule!, result.Detail ?? string.Empty, record.Source) { Record = record });
    }

    public static StageBatchResult Decode(IRecordDecoder decoder, string stageName, long firstSequence, RawItem[] items, bool failFast, TimeProvider time)
    {
        var started = time.GetTimestamp();
        var output = new Envelope[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var sequence = firstSequence + i;
            try
            {
                output[i] = decoder.Decode(items[i], sequence);
            }
            catch (Exception ex) when (!failFast && ex is not OperationCanceledException)
            {
                output[i] = Envelope.Rejected(sequence, new Reject(stageName, StageErrorRule, $"{ex.GetType().Name}: {ex.Message}", items[i].Source));
            }
        }

        return new StageBatchResult(output, items.Length, time.GetElapsedTime(started));
    }
}
