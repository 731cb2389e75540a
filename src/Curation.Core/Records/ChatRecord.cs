using System.Collections.Immutable;
using System.Text.Json;

namespace Curation.Core.Records;

/// <summary>The one record type that flows through every stage. Stages return new values with <c>with</c>.</summary>
public sealed record ChatRecord
{
    public required string Id { get; init; }

    /// <summary>Whether <see cref="Id"/> came from the input (ids must then be unique in a run), not from the content.</summary>
    public bool HasInputId { get; init; }

    public required ImmutableArray<Message> Messages { get; init; }

    public required SourceRef Source { get; init; }

    /// <summary>No metadata, keys compared ordinally: one shared instance, not one per record.</summary>
    public static ImmutableSortedDictionary<string, JsonElement> EmptyMetadata { get; } =
        ImmutableSortedDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Fields of the input that were not part of the conversation, sorted by key so output is stable.</summary>
    public ImmutableSortedDictionary<string, JsonElement> Metadata { get; init; } = EmptyMetadata;

    /// <summary>
    /// The input line, when it is already the line the JSON Lines writer would give this record; null otherwise. A
    /// writer uses it only while <see cref="VerbatimLine.Matches"/> holds.
    /// </summary>
    public VerbatimLine? Verbatim { get; init; }

    /// <summary>Total characters over all turns.</summary>
    public int ContentLength
    {
        get
        {
            var total = 0;
            foreach (var message in Messages)
            {
                total += message.Content.Length;
            }

            return total;
        }
    }
}
