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

    /// <summary>Writes <paramref name="batch"/> after those written before.</summary>
    public void Write(Envelope[] batch) => Write(SpillBlock.Encode(batch));

    /// <summary>Writes a batch encoded beforehand (on any thread) after those written before, and lets its buffer go.</summary>
    public void Write(SpillBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (_reading)
        {
            throw new InvalidOperationException("The spill is being read; it takes no more batches.");
        }

        try
        {
            var bytes = block.Bytes;
            _writer.Write(block.Envelopes);
            _writer.Write(bytes.Length);
            _writer.Write(bytes);
            Batches++;
        }
        catch (IOException ex) when (ScratchFile.Fault(ex) is { } fault)
        {
            throw fault;
        }
        finally
        {
            block.Release();
        }
    }

    /// <summary>The batches in the order written. Call once, after the last <see cref="Write(Envelope[])"/>.</summary>
    public async IAsyncEnumerable<Envelope[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var block in ReadBlocksAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return block.Decode();
        }
    }

    /// <summary>
    /// The batches in the order written, still encoded, for the caller to decode on its workers
    /// (<see cref="SpillBlock.Decode"/>). Call once, after the last write.
    /// </summary>
    public async IAsyncEnumerable<SpillBlock> ReadBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
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
            var envelopes = reader.ReadInt32();
            var length = reader.ReadInt32();
            yield return SpillBlock.Filled(envelopes, length, bytes => _file.ReadExactly(bytes));
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
