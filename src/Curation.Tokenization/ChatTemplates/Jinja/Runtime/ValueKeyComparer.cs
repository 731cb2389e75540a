namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>Python's hashing and equality for dict keys: numbers equal across int, float and bool; tuples by their items.</summary>
internal sealed class ValueKeyComparer : IEqualityComparer<Value>
{
    public static ValueKeyComparer Instance { get; } = new();

    /// <exception cref="TemplateRenderException">A list, dict or namespace used as a key.</exception>
    public static void EnsureHashable(Value key)
    {
        switch (key)
        {
            case ListValue { IsTuple: true } tuple:
                foreach (var item in tuple.Items)
                {
                    EnsureHashable(item);
                }

                break;
            case ListValue or DictValue or NamespaceValue:
                throw new TemplateRenderException($"unhashable type: '{key.TypeName}'");
        }
    }

    public bool Equals(Value? x, Value? y) => x is not null && y is not null && Operations.AreEqual(x, y);

    public int GetHashCode(Value obj) => obj switch
    {
        StringValue text => StringComparer.Ordinal.GetHashCode(text.Value),
        BoolValue boolean => boolean.Value ? 1 : 0,
        IntValue integer => integer.Value.GetHashCode(),
        FloatValue real when real.Value == Math.Floor(real.Value) && Math.Abs(real.Value) < 9.2e18 => ((long)real.Value).GetHashCode(),
        FloatValue real => real.Value.GetHashCode(),
        ListValue list => list.Items.Aggregate(17, (hash, item) => (hash * 31) + GetHashCode(item)),
        _ => obj.GetType().GetHashCode(),
    };
}
