using Curation.Tokenization.ChatTemplates.Jinja.Library;

namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>
/// Jinja's lookups in its sandbox: <c>a.b</c> tries the attribute (a Python method such as <c>items</c> or
/// <c>startswith</c>) and then the item, <c>a['b']</c> the item and then the attribute; what neither finds is
/// undefined. Names starting with an underscore and methods that would change a list or dict are refused.
/// </summary>
internal static class Access
{
    public static Value GetAttribute(Value target, string name)
    {
        switch (target)
        {
            case UndefinedValue undefined:
                throw undefined.Fail();
            case LoopValue loop:
                return loop.GetAttribute(name);
            case NamespaceValue ns:
                return ns.TryGet(name, out var stored) ? stored : MissingAttribute(target, name);
        }

        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            return Unsafe(target, name);
        }

        if (BuiltinMethods.TryBind(target, name, out var method))
        {
            return method;
        }

        if (target is DictValue dict && dict.TryGet(new StringValue(name), out var item))
        {
            return item;
        }

        return MissingAttribute(target, name);
    }

    public static Value GetItem(Value target, Value key)
    {
        switch (target)
        {
            case UndefinedValue undefined:
                throw undefined.Fail();
            case DictValue dict:
                if (key is not (ListValue { IsTuple: false } or DictValue or NamespaceValue) && dict.TryGet(key, out var value))
                {
                    return value;
                }

                break;
            case ListValue list when Operations.IsInteger(key):
                var index = Operations.AsLong(key);
                index = index < 0 ? index + list.Items.Count : index;
                if (index >= 0 && index < list.Items.Count)
                {
                    return list.Items[(int)index];
                }

                break;
            case StringValue text when Operations.IsInteger(key):
                var points = PythonText.HasSurrogates(text.Value) ? PythonText.CodePoints(text.Value) : null;
                var count = points?.Length ?? text.Value.Length;
                var position = Operations.AsLong(key);
                position = position < 0 ? position + count : position;
                if (position >= 0 && position < count)
                {
                    return new StringValue(points is null ? text.Value[(int)position].ToString() : points[(int)position]);
                }

                break;
        }

        if (key is StringValue name)
        {
            if (name.Value.StartsWith("__", StringComparison.Ordinal))
            {
                return Unsafe(target, name.Value);
            }

            if (target is LoopValue or NamespaceValue)
            {
                return GetAttribute(target, name.Value);
            }

            if (BuiltinMethods.TryBind(target, name.Value, out var method))
            {
                return method;
            }

            return MissingAttribute(target, name.Value);
        }

        return new UndefinedValue($"{ObjectDescription(target)} has no element {key.ToRepr()}");
    }

    /// <summary>Python's <c>sequence[start:stop:step]</c> on a list, tuple or string.</summary>
    public static Value Slice(Value target, Value start, Value stop, Value step)
    {
        if (target is UndefinedValue undefined)
        {
            throw undefined.Fail();
        }

        var stepValue = step is NoneValue ? 1 : Index(step);
        if (stepValue == 0)
        {
            throw new TemplateRenderException("slice step cannot be zero");
        }

        switch (target)
        {
            case ListValue list:
                return new ListValue([.. SliceIndices(list.Items.Count, start, stop, stepValue).Select(i => list.Items[i])], list.IsTuple);
            case StringValue text when stepValue == 1 && !PythonText.HasSurrogates(text.Value):
                var indices = SliceIndices(text.Value.Length, start, stop, 1).ToList();
                return indices.Count == 0 ? StringValue.Empty : new StringValue(text.Value.Substring(indices[0], indices.Count));
            case StringValue text:
                var points = PythonText.CodePoints(text.Value);
                return new StringValue(string.Concat(SliceIndices(points.Length, start, stop, stepValue).Select(i => points[i])));
            default:
                throw new TemplateRenderException($"'{target.TypeName}' object is not subscriptable");
        }
    }

    private static long Index(Value value) => Operations.IsInteger(value)
        ? Operations.AsLong(value)
        : throw new TemplateRenderException("slice indices must be integers or None");

    /// <summary>The indices a slice selects, with Python's clamping of negative and out-of-range bounds.</summary>
    private static IEnumerable<int> SliceIndices(int length, Value start, Value stop, long step)
    {
        long first, end;
        if (step > 0)
        {
            first = start is NoneValue ? 0 : Clamp(Index(start), length, 0, length);
            end = stop is NoneValue ? length : Clamp(Index(stop), length, 0, length);
            for (var i = first; i < end; i += step)
            {
                yield return (int)i;
            }
        }
        else
        {
            first = start is NoneValue ? length - 1 : Clamp(Index(start), length, -1, length - 1);
            end = stop is NoneValue ? -1 : Clamp(Index(stop), length, -1, length - 1);
            for (var i = first; i > end; i += step)
            {
                yield return (int)i;
            }
        }
    }

    private static long Clamp(long index, int length, long low, long high)
    {
        if (index < 0)
        {
            index += length;
        }

        return Math.Clamp(index, low, high);
    }

    private static UndefinedValue MissingAttribute(Value target, string name) =>
        new($"{PythonText.Repr(ObjectDescription(target))} has no attribute {PythonText.Repr(name)}");

    private static UndefinedValue Unsafe(Value target, string name) =>
        new($"access to attribute {PythonText.Repr(name)} of {PythonText.Repr(target.TypeName)} object is unsafe.");

    /// <summary>How Jinja names an object in its messages (<c>dict object</c>, <c>None</c>).</summary>
    public static string ObjectDescription(Value target) => target is NoneValue ? "None" : $"{target.TypeName} object";
}
