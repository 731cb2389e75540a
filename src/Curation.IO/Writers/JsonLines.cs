using System.Text.Json;
using Curation.Core.Stages;

namespace Curation.IO.Writers;

/// <summary>Encodes a batch as JSON lines: one compact object per item, each followed by '\n', into a pooled buffer.</summary>
internal static class JsonLines
{
    private const int EstimatedLineBytes = 2048;

    public static EncodedChunk Encode<T>(IReadOnlyList<T> items, Action<Utf8JsonWriter, T> writeItem) => Encode(items, writeItem, tryWriteDirect: null);

    /// <param name="tryWriteDirect">
    /// Writes an item straight into the buffer, or returns false having written nothing, and the item goes through
    /// <paramref name="writeItem"/>.
    /// </param>
    public static EncodedChunk Encode<T>(IReadOnlyList<T> items, Action<Utf8JsonWriter, T> writeItem, Func<PooledByteBuffer, T, bool>? tryWriteDirect)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return new EncodedChunk(ReadOnlyMemory<byte>.Empty, 0);
        }

        var buffer = new PooledByteBuffer(items.Count * EstimatedLineBytes);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            foreach (var item in items)
            {
                if (tryWriteDirect is not null && tryWriteDirect(buffer, item))
                {
                    buffer.Write((byte)'\n');
                    continue;
                }

                writeItem(writer, item);
                writer.Flush();
                buffer.Write((byte)'\n');

                // A writer holds one top-level value; Reset starts the next line on the same buffer.
                writer.Reset(buffer);
            }
        }

        return new EncodedChunk(buffer.Detach(), items.Count);
    }
}
