using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
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
            _writer.Write(envelope.Sequence);
            if (envelope.Record is { } record)
            {
                _writer.Write((byte)0);
                WriteRecord(_writer, record);
            }
            else
            {
                _writer.Write((byte)1);
                WriteReject(_writer, envelope.Reject!);
            }
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
                var sequence = reader.ReadInt64();
                batch[i] = reader.ReadByte() == 0
                    ? Envelope.Kept(sequence, ReadRecord(reader))
                    : Envelope.Rejected(sequence, ReadReject(reader));
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

    private static void WriteRecord(BinaryWriter writer, ChatRecord record)
    {
        WriteText(writer, record.Id);
        writer.Write(record.HasInputId);
        WriteSource(writer, record.Source);
        writer.Write(record.Messages.Length);
        foreach (var message in record.Messages)
        {
            WriteText(writer, message.Role);
            WriteText(writer, message.Content);
            WriteOptional(writer, message.Weight);
            WriteOptional(writer, message.Name);
        }

        writer.Write(record.Metadata.Count);
        foreach (var (key, value) in record.Metadata)
        {
            WriteText(writer, key);
            WriteText(writer, value.GetRawText());
        }
    }

    private static ChatRecord ReadRecord(BinaryReader reader)
    {
        var id = ReadText(reader);
        var hasInputId = reader.ReadBoolean();
        var source = ReadSource(reader);
        var messages = ImmutableArray.CreateBuilder<Message>(reader.ReadInt32());
        for (var i = 0; i < messages.Capacity; i++)
        {
            var role = ReadText(reader);
            var content = ReadText(reader);
            messages.Add(new Message(role, content) { Weight = ReadOptionalDouble(reader), Name = ReadOptionalString(reader) });
        }

        var count = reader.ReadInt32();
        var metadata = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadText(reader);
            using var document = JsonDocument.Parse(ReadText(reader));
            metadata.Add(key, document.RootElement.Clone());
        }

        return new ChatRecord { Id = id, HasInputId = hasInputId, Source = source, Messages = messages.MoveToImmutable(), Metadata = metadata.ToImmutable() };
    }

    private static void WriteReject(BinaryWriter writer, Reject reject)
    {
        WriteText(writer, reject.Stage);
        WriteText(writer, reject.Rule);
        WriteText(writer, reject.Detail);
        WriteSource(writer, reject.Source);
        WriteOptional(writer, reject.RawText);
        WriteOptional(writer, reject.RawBase64);
        writer.Write(reject.Record is not null);
        if (reject.Record is { } record)
        {
            WriteRecord(writer, record);
        }
    }

    private static Reject ReadReject(BinaryReader reader)
    {
        var stage = ReadText(reader);
        var rule = ReadText(reader);
        var detail = ReadText(reader);
        var source = ReadSource(reader);
        var rawText = ReadOptionalString(reader);
        var rawBase64 = ReadOptionalString(reader);
        var record = reader.ReadBoolean() ? ReadRecord(reader) : null;
        return new Reject(stage, rule, detail, source) { RawText = rawText, RawBase64 = rawBase64, Record = record };
    }

    private static void WriteSource(BinaryWriter writer, SourceRef source)
    {
        WriteText(writer, source.File);
        writer.Write(source.Position);
        writer.Write((byte)source.Unit);
    }

    private static SourceRef ReadSource(BinaryReader reader) =>
        new(ReadText(reader), reader.ReadInt64(), (SourceUnit)reader.ReadByte());

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            WriteText(writer, value);
        }
    }

    private static void WriteOptional(BinaryWriter writer, double? value)
    {
        writer.Write(value.HasValue);
        if (value is { } number)
        {
            writer.Write(number);
        }
    }

    /// <summary>
    /// UTF-8 (half the bytes of most text), or, for a string holding a lone surrogate that UTF-8 cannot carry, its
    /// UTF-16 code units as they are, so that even such a string in a rejected record round-trips exactly.
    /// </summary>
    private static void WriteText(BinaryWriter writer, string text)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            if (Utf8.FromUtf16(text, rented, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                writer.Write(written);
                writer.Write(rented, 0, written);
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        writer.Write(~text.Length);
        writer.Write(MemoryMarshal.AsBytes(text.AsSpan()));
    }

    private static string ReadText(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length < 0)
        {
            return string.Create(~length, reader.BaseStream, static (chars, stream) => stream.ReadExactly(MemoryMarshal.AsBytes(chars)));
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            reader.BaseStream.ReadExactly(rented, 0, length);
            return Encoding.UTF8.GetString(rented, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string? ReadOptionalString(BinaryReader reader) => reader.ReadBoolean() ? ReadText(reader) : null;

    private static double? ReadOptionalDouble(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadDouble() : null;
}
