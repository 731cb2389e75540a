using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.TestKit.Stages;

/// <summary>
/// Hands prepared items to the runtime as a file reader would: in batches of raw items, each numbered by its line in
/// <see cref="FileName"/>. An item's bytes are its index, which <see cref="RecordListDecoder"/> turns back into the
/// record or earlier reject. Optionally fails after the first batch, or cancels a token there and then waits like a
/// stalled pipe.
/// </summary>
public sealed class RecordListSource(IReadOnlyList<StageInput> items, int batchSize) : IRecordSource
{
    public const string FileName = "contract.jsonl";

    public IReadOnlyList<InputFileInfo> Files { get; private set; } = [];

    public long BytesRead { get; private set; }

    public long TotalBytes => items.Count;

    /// <summary>Thrown by the read after the first batch was handed out.</summary>
    public Exception? FaultAfterFirstBatch { get; init; }

    /// <summary>Cancelled after the first batch was handed out; the read then waits for input that never comes.</summary>
    public CancellationTokenSource? CancelAfterFirstBatch { get; init; }

    public async IAsyncEnumerable<RawItem[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var start = 0; start < items.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, items.Count - start);
            var batch = new RawItem[count];
            for (var i = 0; i < count; i++)
            {
                var index = start + i;
                batch[i] = new RawItem(Encoding.UTF8.GetBytes(index.ToString(CultureInfo.InvariantCulture)), new SourceRef(FileName, index + 1, SourceUnit.Line));
            }

            BytesRead += count;
            yield return batch;
            if (start == 0 && FaultAfterFirstBatch is { } fault)
            {
                throw fault;
            }

            if (start == 0 && CancelAfterFirstBatch is { } cancel)
            {
                await cancel.CancelAsync();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            await Task.Yield();
        }

        Files = [new InputFileInfo(FileName, TotalBytes, "none", items.Count)];
    }
}

/// <summary>Decodes <see cref="RecordListSource"/> items: the record or read reject at the item's index, with the item's source.</summary>
public sealed class RecordListDecoder(IReadOnlyList<StageInput> items) : IRecordDecoder
{
    public Envelope Decode(in RawItem item, long sequence)
    {
        var input = items[int.Parse(Encoding.UTF8.GetString(item.Utf8Json.Span), CultureInfo.InvariantCulture)];
        return input.Record is { } record
            ? Envelope.Kept(sequence, record with { Source = item.Source })
            : Envelope.Rejected(sequence, input.Unreadable! with { Source = item.Source });
    }
}
