using Parquet;
using Parquet.Schema;

namespace Curation.IO.Writers;

/// <summary>
/// The Parquet layout of chat records: <c>id</c> string, <c>messages</c> list of struct {role, content, weight?,
/// name?}, <c>metadata</c> JSON text, <c>source</c> "file:line" text. Writes one row group from rows, giving the
/// nested list its repetition and definition levels directly.
/// </summary>
internal static class ParquetChatSchema
{
    // Definition levels of a message's leaf columns: messages (optional) 1, list (repeated) 2, element 3, optional leaf 4.
    private const int EmptyList = 1;
    private const int MessagePresent = 3;
    private const int OptionalLeafPresent = 4;

    public static DataField<string> Id { get; } = new("id", false);

    public static DataField<string> Role { get; } = new("role", false);

    public static DataField<string> Content { get; } = new("content", false);

    public static DataField<double?> Weight { get; } = new("weight");

    public static DataField<string> Name { get; } = new("name", true);

    public static DataField<string> Metadata { get; } = new("metadata", false);

    public static DataField<string> Source { get; } = new("source", false);

    public static ParquetSchema Schema { get; } = new(
        Id,
        new ListField("messages", new StructField("element", Role, Content, Weight, Name)),
        Metadata,
        Source);

    /// <summary>Options fixed so that equal records give equal bytes.</summary>
    public static ParquetOptions Options { get; } = new() { CompressionMethod = CompressionMethod.Snappy };

    public static async Task WriteRowGroupAsync(ParquetWriter writer, IReadOnlyList<ParquetRow> rows, CancellationToken cancellationToken)
    {
        var ids = new string[rows.Count];
        var metadata = new string[rows.Count];
        var sources = new string[rows.Count];
        var levels = 0;
        var messageCount = 0;
        var weightCount = 0;
        var nameCount = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            ids[i] = row.Id;
            metadata[i] = row.Metadata;
            sources[i] = row.Source;
            levels += Math.Max(1, row.Messages.Length);
            messageCount += row.Messages.Length;
            foreach (var message in row.Messages)
            {
                weightCount += message.Weight.HasValue ? 1 : 0;
                nameCount += message.Name is null ? 0 : 1;
            }
        }

        var repetition = new int[levels];
        var definition = new int[levels];
        var weightDefinition = new int[levels];
        var nameDefinition = new int[levels];
        var roles = new ReadOnlyMemory<char>[messageCount];
        var contents = new ReadOnlyMemory<char>[messageCount];
        var weights = new double[weightCount];
        var names = new ReadOnlyMemory<char>[nameCount];
        int level = 0, m = 0, w = 0, n = 0;
        foreach (var row in rows)
        {
            if (row.Messages.IsEmpty)
            {
                definition[level] = weightDefinition[level] = nameDefinition[level] = EmptyList;
                level++;
                continue;
            }

            for (var j = 0; j < row.Messages.Length; j++)
            {
                var message = row.Messages[j];
                repetition[level] = j == 0 ? 0 : 1;
                definition[level] = MessagePresent;
                roles[m] = message.Role.AsMemory();
                contents[m] = message.Content.AsMemory();
                m++;
                weightDefinition[level] = message.Weight.HasValue ? OptionalLeafPresent : MessagePresent;
                if (message.Weight is { } weight)
                {
                    weights[w++] = weight;
                }

                nameDefinition[level] = message.Name is null ? MessagePresent : OptionalLeafPresent;
                if (message.Name is { } name)
                {
                    names[n++] = name.AsMemory();
                }

                level++;
            }
        }

        using var group = writer.CreateRowGroup();
        await group.WriteAsync(Id, ids).ConfigureAwait(false);
        await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(Role, roles, definition, repetition, cancellationToken).ConfigureAwait(false);
        await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(Content, contents, definition, repetition, cancellationToken).ConfigureAwait(false);
        await group.WriteAllPartsAsync<double>(Weight, weights, weightDefinition, repetition, cancellationToken).ConfigureAwait(false);
        await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(Name, names, nameDefinition, repetition, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(Metadata, metadata).ConfigureAwait(false);
        await group.WriteAsync(Source, sources).ConfigureAwait(false);
        group.CompleteValidate();
    }
}
