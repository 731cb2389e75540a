using System.Collections.Concurrent;
using System.Text.Json;
using Curation.Core;
using Curation.Evaluation.Golden;
using Json.Schema;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// <c>json_schema</c>: the answer's JSON (<see cref="JsonAnswer"/>) conforms to the item's
/// <see cref="GoldenItem.Schema"/> (JsonSchema.Net; draft 2020-12 unless the schema's <c>$schema</c> names another;
/// <c>format</c> is an annotation, as the draft says; a <c>$ref</c> outside the schema is never fetched). An answer
/// without JSON scores 0; an item without a schema is not scored.
/// </summary>
internal sealed class JsonSchemaMetric : IMetric
{
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    public string Name => "json_schema";

    public bool AppliesTo(GoldenItem item) => item.Schema is not null;

    public double Score(GoldenItem item, string answer)
    {
        var schema = SchemaOf(item);
        using var document = JsonAnswer.Parse(answer);
        if (document is null)
        {
            return 0;
        }

        try
        {
            return schema.Evaluate(document.RootElement).IsValid ? 1 : 0;
        }
        catch (JsonSchemaException e)
        {
            // References are resolved as evaluation reaches them.
            throw new CurationException($"item {item.Id}: schema cannot be evaluated: {e.Message}");
        }
    }

    /// <exception cref="CurationException">The item's schema is not a JSON Schema, or refers to one it does not hold.</exception>
    private JsonSchema SchemaOf(GoldenItem item) =>
        _schemas.GetOrAdd(item.Schema!, text =>
        {
            try
            {
                // Each schema gets a registry of its own: two items may reuse one $id for different schemas.
                return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            }
            catch (Exception e) when (e is JsonException or JsonSchemaException or ArgumentException)
            {
                throw new CurationException($"item {item.Id}: schema is not a valid JSON Schema: {e.Message}");
            }
        });
}
