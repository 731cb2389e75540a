using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.TestKit.Stages;

/// <summary>
/// Hands prepared records to the runtime as a file reader would: in batches of raw items, each numbered by its line in
/// <see cref="FileName"/>. An item's bytes are the record's index, which <see cref="RecordListDecoder"/> turns back into
/// the record. Optionally fails after the first batch, or cancels a token there and then waits like a stalled pipe.
/// </summary>
public sealed class RecordListSource(IReadOnlyList<ChatRecord> records, int batchSize) : IRecordSource
{
    public const string FileName = "contract.jsonl";

    public IReadOnlyList<InputFileInfo> Files { get; private set; } = [];

    public long BytesRead { get; private set; }

    public long TotalBytes => records.Count;

    /// <summary>Thrown by the read after the first batch was handed out.</summary>
    public Exception? FaultAfterFirstBatch { get; init; }

    /// <summary>Cancelled after the first batch was handed out; the read then waits for input that never comes.</summary>
    public CancellationTokenSource? CancelAfterFirstBatch { get; init; }

    public async IAsyncEnumerable<RawItem[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var start = 0; start < records.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, records.Count - start);
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

        Files = [new InputFileInfo(FileName, TotalBytes, "none", records.Count)];
    }
}

/// <summary>Decodes <see cref="RecordListSource"/> items: the record at the item's index, with the item's source.</summary>
public sealed class RecordListDecoder(IReadOnlyList<ChatRecord> records) : IRecordDecoder
{
    public IReadOnlyList<string> Rules => [];

    public Envelope Decode(in RawItem item, long sequence)
    {
        var index = int.Parse(Encoding.UTF8.GetString(item.Utf8Json.Span), CultureInfo.InvariantCulture);
        return Envelope.Kept(sequence, records[index] with { Source = item.Source });
    }
}
