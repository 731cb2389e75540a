using System.Runtime.CompilerServices;
using System.Text;
using Curation.Core.Files;
using Curation.Core.Records;

namespace Curation.Core.Runtime;

/// <summary>
/// A temporary file of envelopes, for stream stages that must see all input before deciding (near-duplicate
/// clustering, review): write every batch as it passes, decide, then read the batches back in the same order.
/// Records and rejects round-trip exactly (ids, turns with weights and names, metadata, sources, raw text). The
/// file is a <see cref="ScratchFile"/> in the system temp folder: gone when disposed or when the process ends.
/// </summary>
public sealed class EnvelopeSpill : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly BinaryWriter _writer;
    private bool _reading;

    public EnvelopeSpill()
    {
        _file = ScratchFile.OpenStream("spill");
        _writer = new BinaryWriter(_file, Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>Batches written so far.</summary>
    public int Batches { get; private set; }

    /// <summary>Bytes on disk so far.</summary>
    public long Bytes => _file.Length;

    public void Write(Envelope[] batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_reading)
        {
            throw new InvalidOperationException("The spill is being read; it takes no more batches.");
        }

        try
        {
            WriteBatch(batch);
        }
        catch (IOException ex) when (ScratchFile.Fault(ex) is { } fault)
        {
            throw fault;
        }
    }

    private void WriteBatch(Envelope[] batch)
    {
        _writer.Write(batch.Length);
        foreach (var envelope in batch)
        {
            EnvelopeCodec.Write(_writer, envelope);
        }

        Batches++;
    }

    /// <summary>The batches in the order written. Call once, after the last <see cref="Write"/>.</summary>
    public async IAsyncEnumerable<Envelope[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _reading = true;
        try
        {
            _writer.Flush();
            _file.Position = 0;
        }
        catch (IOException ex) when (ScratchFile.Fault(ex) is { } fault)
        {
            throw fault;
        }

        using var reader = new BinaryReader(_file, Encoding.UTF8, leaveOpen: true);
        for (var b = 0; b < Batches; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new Envelope[reader.ReadInt32()];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = EnvelopeCodec.Read(reader);
            }

            yield return batch;
            await Task.Yield();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The spill is being thrown away: buffered bytes that no longer fit (a full disk) do not matter, and
            // must not hide the fault that stopped the stage.
        }

        try
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // As above.
        }
    }
}
