using System.Collections.Concurrent;
using System.Text;
using Curation.Core.Records;

namespace Curation.Core.Runtime;

/// <summary>
/// One batch of envelopes in <see cref="EnvelopeCodec"/>'s binary form, encoded or decoded on any thread so that
/// a spill's own thread only copies bytes. Its buffer is reused: it goes back to a small pool once written or
/// decoded, so a run's steady state allocates no buffers.
/// </summary>
public sealed class SpillBlock
{
    // Blocks in flight are bounded by the channels around the stage, so the pool stays small.
    private static readonly ConcurrentBag<MemoryStream> Buffers = [];

    private MemoryStream? _buffer;

    private SpillBlock(MemoryStream buffer, int envelopes)
    {
        _buffer = buffer;
        Envelopes = envelopes;
    }

    /// <summary>Envelopes in the block.</summary>
    public int Envelopes { get; }

    internal ReadOnlySpan<byte> Bytes => Buffer.GetBuffer().AsSpan(0, (int)Buffer.Length);

    private MemoryStream Buffer => _buffer ?? throw new InvalidOperationException("the block was already written or decoded");

    /// <summary>Encodes <paramref name="batch"/>; thread-safe.</summary>
    public static SpillBlock Encode(Envelope[] batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var buffer = Rent();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var envelope in batch)
            {
                EnvelopeCodec.Write(writer, envelope);
            }
        }

        return new SpillBlock(buffer, batch.Length);
    }

    /// <summary>The envelopes of the block, in the order encoded; thread-safe. The block cannot be used afterwards.</summary>
    public Envelope[] Decode()
    {
        var buffer = Buffer;
        buffer.Position = 0;
        var batch = new Envelope[Envelopes];
        using (var reader = new BinaryReader(buffer, Encoding.UTF8, leaveOpen: true))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = EnvelopeCodec.Read(reader);
            }
        }

        Release();
        return batch;
    }

    /// <summary>A block read back from disk: <paramref name="length"/> bytes filled by <paramref name="fill"/>.</summary>
    internal static SpillBlock Filled(int envelopes, int length, Action<Span<byte>> fill)
    {
        var buffer = Rent();
        buffer.SetLength(length);
        fill(buffer.GetBuffer().AsSpan(0, length));
        return new SpillBlock(buffer, envelopes);
    }

    internal void Release()
    {
        var buffer = Buffer;
        _buffer = null;
        Buffers.Add(buffer);
    }

    private static MemoryStream Rent()
    {
        if (!Buffers.TryTake(out var buffer))
        {
            return new MemoryStream();
        }

        buffer.SetLength(0);
        return buffer;
    }
}
