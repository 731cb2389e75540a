using System.Runtime.CompilerServices;
using System.Text;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.TestKit;

namespace Curation.Core.Tests.Runtime;

/// <summary>Items are "prompt|response" lines; a line without '|' is rejected by the decoder.</summary>
internal sealed class LineSource(IReadOnlyList<string> lines, int batchSize = 7, CancellationTokenSource? cancelAfterFirstBatch = null) : IRecordSource
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

internal sealed class PipeDecoder : IRecordDecoder
{
    public Envelope Decode(in RawItem item, long sequence)
    {
        var text = Encoding.UTF8.GetString(item.Utf8Json.Span);
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return Envelope.Rejected(sequence, new Reject("read", "no-separator", "expected 'prompt|response'", item.Source) { RawText = text });
        }

        var record = Chat.Builder().User(text[..bar]).Assistant(text[(bar + 1)..]).Build() with { Source = item.Source };
        return Envelope.Kept(sequence, record);
    }
}

/// <summary>Keeps what it is given, as text lines, and reports them as one file.</summary>
internal sealed class MemoryWriter<T>(Func<T, string> format, string role) : IRecordWriter<T>
{
    private readonly StringBuilder _text = new();

    public List<T> Items { get; } = [];

    public bool Sealed { get; private set; }

    public string Text => _text.ToString();

    public EncodedChunk Encode(IReadOnlyList<T> items)
    {
        var builder = new StringBuilder();
        foreach (var item in items)
        {
            builder.Append(format(item)).Append('\n');
        }

        return new EncodedChunk(new ItemsAndText(items.ToList(), builder.ToString()), items.Count);
    }

    public ValueTask WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        var payload = (ItemsAndText)chunk.Items!;
        Items.AddRange(payload.Items);
        _text.Append(payload.Text);
        return ValueTask.CompletedTask;
    }

    public ValueTask<OutputFileInfo> SealAsync(CancellationToken cancellationToken)
    {
        Sealed = true;
        return ValueTask.FromResult(new OutputFileInfo(role, role, _text.Length, "none", Items.Count, Complete: true));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed record ItemsAndText(List<T> Items, string Text);
}

/// <summary>Drops responses containing "drop", throws on "boom", upper-cases the rest.</summary>
internal sealed class ShoutStage(string name = "shout") : IRecordStage
{
    public string Name => name;

    public StageResult Apply(ChatRecord record)
    {
        var response = record.Messages[^1].Content;
        if (response.Contains("boom", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("exploded");
        }

        if (response.Contains("drop", StringComparison.Ordinal))
        {
            return StageResult.Drop("contains-drop", "response contains 'drop'");
        }

        // Uneven work so that workers finish out of order.
        Thread.SpinWait((response.Length % 7) * 2000);
        return StageResult.Keep(record with { Messages = record.Messages.SetItem(record.Messages.Length - 1, record.Messages[^1] with { Content = response.ToUpperInvariant() }) });
    }
}
