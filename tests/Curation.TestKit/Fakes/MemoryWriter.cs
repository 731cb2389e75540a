using System.Text;
using Curation.Core.Stages;

namespace Curation.TestKit.Fakes;

/// <summary>Keeps what it is given, as text lines, and reports them as one file.</summary>
public sealed class MemoryWriter<T>(Func<T, string> format, string role) : IRecordWriter<T>
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
