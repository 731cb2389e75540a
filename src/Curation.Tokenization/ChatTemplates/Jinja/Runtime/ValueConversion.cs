using System.Text.Json;
using System.Text.Json.Nodes;

namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>Template values from JSON, as Python's <c>json.loads</c> makes them (a number with a point or exponent is a float).</summary>
internal static class ValueConversion
{
    public static Value FromJson(JsonNode? node) => node switch
    {
        null => NoneValue.Instance,
        JsonObject obj => new DictValue([.. obj.Select(property => KeyValuePair.Create<Value, Value>(new StringValue(property.Key), FromJson(property.Value)))]),
        JsonArray array => new ListValue([.. array.Select(FromJson)]),
        JsonValue value => FromElement(value.GetValue<JsonElement>()),
        _ => throw new ArgumentException($"unexpected JSON node {node.GetType().Name}", nameof(node)),
    };

    public static Value FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => NoneValue.Instance,
        JsonValueKind.True => BoolValue.True,
        JsonValueKind.False => BoolValue.False,
        JsonValueKind.String => new StringValue(element.GetString()!),
        JsonValueKind.Number => Number(element),
        JsonValueKind.Array => new ListValue([.. element.EnumerateArray().Select(FromElement)]),
        _ => new DictValue([.. element.EnumerateObject().Select(property => KeyValuePair.Create<Value, Value>(new StringValue(property.Name), FromElement(property.Value)))]),
    };

    private static Value Number(JsonElement element)
    {
        var raw = element.GetRawText();
        if (raw.AsSpan().IndexOfAny(".eE") < 0 && element.TryGetInt64(out var integer))
        {
            return new IntValue(integer);
        }

        return new FloatValue(element.GetDouble());
    }
}
