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
        JsonValue value => FromValue(value),
        _ => throw new ArgumentException($"unexpected JSON node {node.GetType().Name}", nameof(node)),
    };

    /// <summary>A parsed value by its text; one made from a .NET value by its type (a double is a float however it prints).</summary>
    private static Value FromValue(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return FromElement(element);
        }

        if (value.TryGetValue<string>(out var text))
        {
            return new StringValue(text);
        }

        if (value.TryGetValue<bool>(out var boolean))
        {
            return BoolValue.Of(boolean);
        }

        if (value.TryGetValue<long>(out var integer) || value.TryGetValue<int>(out var small) && (integer = small) == small)
        {
            return new IntValue(integer);
        }

        if (value.TryGetValue<double>(out var real) || value.TryGetValue<float>(out var single) && (real = single) == single)
        {
            return new FloatValue(real);
        }

        using var document = JsonDocument.Parse(value.ToJsonString());
        return FromElement(document.RootElement);
    }

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
