using System.Text.Json;

namespace Curation.Serving.Api;

/// <summary><c>GET /v1/models</c>: the base model, then each adapter with the base as its parent (as vLLM lists LoRA modules).</summary>
internal static class ModelList
{
    public static void Write(Utf8JsonWriter json, ServedModel served, long created)
    {
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        WriteModel(json, served.Name, null, created);
        foreach (var adapter in served.Adapters.Names)
        {
            WriteModel(json, adapter, served.Name, created);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteModel(Utf8JsonWriter json, string id, string? parent, long created)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "model");
        json.WriteNumber("created", created);
        json.WriteString("owned_by", "curate");
        json.WriteString("parent", parent);
        json.WriteEndObject();
    }
}
