using System.Text.Json.Serialization;
using Parquet;
using Parquet.Serialization;

namespace Curation.DataGen.Sample;

/// <summary>Writes a sample file as Parquet: <c>id</c> (string), <c>messages</c> (list of role/content structs), <c>source</c> (string).</summary>
internal static class ParquetRows
{
    public const int RowGroupSize = 128;

    public static byte[] Write(SampleFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var rows = file.Entries.Select(entry => new WarehouseRow
        {
            Id = entry.Id,
            Messages = [.. entry.Conversation!.ChatTurns().Select((turn, i) => new WarehouseMessage
            {
                Role = turn.Role,
                Content = entry.WrongType == WrongType.ContentNull && i == entry.Conversation.ChatTurns().Count - 1 ? null : turn.Content,
            })],
            Source = "warehouse/" + entry.Conversation.Category,
        }).ToList();
        using var output = new MemoryStream();
        ParquetSerializer.SerializeAsync(rows, output, new ParquetOptions { RowGroupSize = RowGroupSize }).GetAwaiter().GetResult();
        return output.ToArray();
    }

    internal sealed class WarehouseRow
    {
        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("messages")]
        public List<WarehouseMessage> Messages { get; set; } = [];

        [JsonPropertyName("source")]
        public string? Source { get; set; }
    }

    internal sealed class WarehouseMessage
    {
        [JsonPropertyName("role")]
        public string? Role { get; set; }

        [JsonPropertyName("content")]
        public string? Content { get; set; }
    }
}
