using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Curation.Core.Records;

namespace Curation.Core.Runtime;

/// <summary>
/// The binary form of an envelope that round-trips exactly (ids, turns with weights and names, metadata, sources, raw
/// text, lone surrogates): for spills and for the parts that pass envelopes between the steps of a sharded run.
/// </summary>
internal static class EnvelopeCodec
{
    private const int MaxKnownRoleBytes = 16;
    private const int MaxRememberedFileBytes = 1024;

    private static readonly (byte[] Utf8, string Text)[] KnownRoles =
        [.. Roles.All.Select(role => (Encoding.UTF8.GetBytes(role), role))];

    [ThreadStatic]
    private static (byte[] Utf8, string Text)? t_lastFile;

    public static void Write(BinaryWriter writer, Envelope envelope)
    {
        writer.Write(envelope.Sequence);
        if (envelope.Record is { } record)
        {
            writer.Write((byte)0);
            WriteRecord(writer, record);
        }
        else
        {
            writer.Write((byte)1);
            WriteReject(writer, envelope.Reject!);
        }
    }

    public static Envelope Read(BinaryReader reader)
    {
        var sequence = reader.ReadInt64();
        return reader.ReadByte() == 0
            ? Envelope.Kept(sequence, ReadRecord(reader))
            : Envelope.Rejected(sequence, ReadReject(reader));
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
            var role = ReadRole(reader);
            var content = ReadText(reader);
            messages.Add(new Message(role, content) { Weight = ReadOptionalDouble(reader), Name = ReadOptionalString(reader) });
        }

        var count = reader.ReadInt32();
        return new ChatRecord { Id = id, HasInputId = hasInputId, Source = source, Messages = messages.MoveToImmutable(), Metadata = count == 0 ? ChatRecord.EmptyMetadata : ReadMetadata(reader, count) };
    }

    private static ImmutableSortedDictionary<string, JsonElement> ReadMetadata(BinaryReader reader, int count)
    {
        var metadata = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadText(reader);
            using var document = JsonDocument.Parse(ReadText(reader));
            metadata.Add(key, document.RootElement.Clone());
        }

        return metadata.ToImmutable();
    }

    /// <summary>A role: one of the four known ones as the shared constant (not a new string per turn), any other read as text.</summary>
    private static string ReadRole(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length is > 0 and <= MaxKnownRoleBytes)
        {
            Span<byte> bytes = stackalloc byte[MaxKnownRoleBytes];
            var read = bytes[..length];
            reader.BaseStream.ReadExactly(read);
            foreach (var known in KnownRoles)
            {
                if (read.SequenceEqual(known.Utf8))
                {
                    return known.Text;
                }
            }

            return Encoding.UTF8.GetString(read);
        }

        return ReadText(reader, length);
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
        new(ReadSourceFile(reader), reader.ReadInt64(), (SourceUnit)reader.ReadByte());

    /// <summary>A source's file: the string read last on this thread when the bytes are the same (records come in runs from one file).</summary>
    private static string ReadSourceFile(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        if (length is <= 0 or > MaxRememberedFileBytes)
        {
            return ReadText(reader, length);
        }

        Span<byte> bytes = stackalloc byte[length];
        reader.BaseStream.ReadExactly(bytes);
        if (t_lastFile is { } last && bytes.SequenceEqual(last.Utf8))
        {
            return last.Text;
        }

        var text = Encoding.UTF8.GetString(bytes);
        t_lastFile = (bytes.ToArray(), text);
        return text;
    }

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

    private static string ReadText(BinaryReader reader) => ReadText(reader, reader.ReadInt32());

    private static string ReadText(BinaryReader reader, int length)
    {
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
