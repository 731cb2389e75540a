using Curation.Core.Stages;

namespace Curation.TestKit.Fakes;

/// <summary>A writer whose every write fails with <paramref name="fault"/>, as a full or vanished disk would.</summary>
public sealed class FaultingWriter<T>(Exception fault) : IRecordWriter<T>
{
    public EncodedChunk Encode(IReadOnlyList<T> items) => new(items, items.Count);

    public ValueTask WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken) => ValueTask.FromException(fault);

    public ValueTask<OutputFileInfo> SealAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new OutputFileInfo("faulting", "faulting", 0, "none", 0, Complete: false));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
