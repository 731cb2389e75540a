using System.Buffers;
using System.Text.Json;

namespace Curation.Dedup.Near;

/// <summary>
/// The <c>cluster_id</c> and <c>cluster_size</c> values near-dedup attaches to every kept record, without a serializer
/// call per record: sizes from a table built once, ids written by one reused <see cref="Utf8JsonWriter"/> per thread,
/// a batch's ids into one document (a document per record was a fifth of the stage's garbage). The bytes are those
/// <see cref="JsonSerializer"/> writes (same writer, same default encoder).
/// </summary>
internal static class ClusterMetadata
{
    private const int TabulatedSizes = 1024;

    private static readonly JsonElement[] Sizes = [.. Enumerable.Range(0, TabulatedSizes).Select(size => JsonSerializer.SerializeToElement(size))];

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static JsonElement Size(int size) => (uint)size < TabulatedSizes ? Sizes[size] : JsonSerializer.SerializeToElement(size);

    public static JsonElement Id(string id) => Ids([id])[0];

    /// <summary>The values of <paramref name="ids"/>, in order, sharing one document.</summary>
    public static JsonElement[] Ids(ReadOnlySpan<string> ids)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartArray();
        foreach (var id in ids)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.Flush();
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        var array = JsonElement.ParseValue(ref reader);
        var values = new JsonElement[ids.Length];
        var at = 0;
        foreach (var value in array.EnumerateArray())
        {
            values[at++] = value;
        }

        return values;
    }
}
