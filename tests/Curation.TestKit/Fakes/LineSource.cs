using System.Runtime.CompilerServices;
using System.Text;
using Curation.Core.Records;
using Curation.Core.Stages;

namespace Curation.TestKit.Fakes;

/// <summary>Items are "prompt|response" lines; a line without '|' is rejected by the decoder.</summary>
public sealed class LineSource(IReadOnlyList<string> lines, int batchSize = 7, CancellationTokenSource? cancelAfterFirstBatch = null) : IRecordSource
{
    public IReadOnlyList<InputFileInfo> Files { get; private set; } = [];

    public long BytesRead { get; private set; }

    public long TotalBytes => lines.Sum(l => l.Length);

    public int BatchesRead { get; private set; }

    public int BatchesReleased => _released.Count;

    private readonly HashSet<RawItem[]> _released = new(ReferenceEqualityComparer.Instance);

    /// <summary>Overwrites the batch's bytes, as a pool reusing them would: a decode after release would see garbage.</summary>
    public void Release(RawItem[] batch)
    {
        if (!_released.Add(batch))
        {
            throw new InvalidOperationException("a batch was released twice");
        }

        foreach (var item in batch)
        {
            System.Runtime.InteropServices.MemoryMarshal.AsMemory(item.Utf8Json).Span.Fill((byte)'#');
        }
    }

    public async IAsyncEnumerable<RawItem[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var start = 0; start < lines.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = lines.Skip(start).Take(batchSize)
                .Select((line, i) => new RawItem(Encoding.UTF8.GetBytes(line), new SourceRef("mem.txt", start + i + 1, SourceUnit.Line)))
                .ToArray();
            BytesRead += batch.Sum(b => b.Utf8Json.Length);
            BatchesRead++;
            yield return batch;
            if (start == 0 && cancelAfterFirstBatch is not null)
            {
                await cancelAfterFirstBatch.CancelAsync();
            }

            await Task.Yield();
        }

        Files = [new InputFileInfo("mem.txt", TotalBytes, "none", lines.Count)];
    }
}
