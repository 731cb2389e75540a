using System.Globalization;
using System.Text;
using Curation.Tokenization.ChatTemplates.Jinja.Library;

namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>
/// A value in a rendering, with the Python behaviour Jinja gives it: truth, <c>str()</c> (what <c>{{ }}</c> writes)
/// and <c>repr()</c> (how it appears inside a written list or dict).
/// </summary>
internal abstract class Value
{
    /// <summary>Python's type name, for messages (<c>str</c>, <c>dict</c>, <c>NoneType</c>).</summary>
    public abstract string TypeName { get; }

    public abstract bool IsTruthy { get; }

    /// <summary>Python's <c>str()</c>.</summary>
    public abstract string ToText();

    /// <summary>Python's <c>repr()</c>.</summary>
    public virtual string ToRepr() => ToText();

    public override string ToString() => ToText();
}

/// <summary>
/// Jinja's default <c>Undefined</c>: a missing variable, attribute or item. Falsy, written as nothing, iterates as
/// empty; using it any other way (an attribute, arithmetic, a call) fails with <see cref="Hint"/>.
/// </summary>
internal sealed class UndefinedValue(string hint) : Value
{
    public string Hint { get; } = hint;

    public override string TypeName => "Undefined";

    public override bool IsTruthy => false;

    public override string ToText() => string.Empty;

    public override string ToRepr() => "Undefined";

    public TemplateRenderException Fail() => new(Hint);
}

internal sealed class NoneValue : Value
{
    private NoneValue()
    {
    }

    public static NoneValue Instance { get; } = new();

    public override string TypeName => "NoneType";

    public override bool IsTruthy => false;

    public override string ToText() => "None";
}

internal sealed class BoolValue : Value
{
    private BoolValue(bool value)
    {
        Value = value;
    }

    public static BoolValue True { get; } = new(true);

    public static BoolValue False { get; } = new(false);

    public bool Value { get; }

    public override string TypeName => "bool";

    public override bool IsTruthy => Value;

    public static BoolValue Of(bool value) => value ? True : False;

    public override string ToText() => Value ? "True" : "False";
}

internal sealed class IntValue(long value) : Value
{
    public long Value { get; } = value;

    public override string TypeName => "int";

    public override bool IsTruthy => Value != 0;

    public override string ToText() => Value.ToString(CultureInfo.InvariantCulture);
}

internal sealed class FloatValue(double value) : Value
{
    public double Value { get; } = value;

    public override string TypeName => "float";

    public override bool IsTruthy => Value != 0;

    public override string ToText() => PythonText.FormatFloat(Value);
}

/// <summary>A string; <see cref="IsMarkup"/> marks one made safe (<c>|safe</c>, <c>|escape</c>), which <c>+</c> joins with escaping.</summary>
internal sealed class StringValue(string value, bool isMarkup = false) : Value
{
    public static StringValue Empty { get; } = new(string.Empty);

    public string Value { get; } = value;

    public bool IsMarkup { get; } = isMarkup;

    public override string TypeName => IsMarkup ? "Markup" : "str";

    public override bool IsTruthy => Value.Length > 0;

    public override string ToText() => Value;

    public override string ToRepr() => IsMarkup ? $"Markup({PythonText.Repr(Value)})" : PythonText.Repr(Value);
}

/// <summary>A Python list, or a tuple when <see cref="IsTuple"/>; not changed after it is made (the sandbox is immutable).</summary>
internal sealed class ListValue : Value
{
    public ListValue(IReadOnlyList<Value> items, bool isTuple = false)
    {
        Items = items;
        IsTuple = isTuple;
        Depth = Nesting.DepthOf(items);
    }

    public static ListValue Empty { get; } = new([]);

    public IReadOnlyList<Value> Items { get; }

    /// <summary>Levels of lists and dicts, this one included.</summary>
    public int Depth { get; }

    public bool IsTuple { get; }

    public override string TypeName => IsTuple ? "tuple" : "list";

    public override bool IsTruthy => Items.Count > 0;

    public override string ToText() => ToRepr();

    public override string ToRepr() => Nesting.Guard(this, () =>
    {
        var text = new StringBuilder(IsTuple ? "(" : "[");
        for (var i = 0; i < Items.Count; i++)
        {
            text.Append(i > 0 ? ", " : string.Empty).Append(Items[i].ToRepr());
        }

        return text.Append(IsTuple ? (Items.Count == 1 ? ",)" : ")") : "]").ToString();
    });
}

/// <summary>A Python dict: insertion-ordered, keyed by Python equality (so <c>1</c>, <c>1.0</c> and <c>True</c> are one key).</summary>
internal sealed class DictValue : Value
{
    private readonly OrderedDictionary<Value, Value> _entries;

    public DictValue(IEnumerable<KeyValuePair<Value, Value>> entries)
    {
        _entries = new OrderedDictionary<Value, Value>(ValueKeyComparer.Instance);
        foreach (var (key, value) in entries)
        {
            ValueKeyComparer.EnsureHashable(key);
            _entries[key] = value;
        }

        Depth = Nesting.DepthOf(_entries.Values);
    }

    /// <summary>Levels of lists and dicts, this one included.</summary>
    public int Depth { get; }

    public static DictValue Empty { get; } = new([]);

    public int Count => _entries.Count;

    public IEnumerable<Value> Keys => _entries.Keys;

    public IEnumerable<KeyValuePair<Value, Value>> Entries => _entries;

    public override string TypeName => "dict";

    public override bool IsTruthy => _entries.Count > 0;

    public bool TryGet(Value key, out Value value)
    {
        ValueKeyComparer.EnsureHashable(key);
        return _entries.TryGetValue(key, out value!);
    }

    public override string ToText() => ToRepr();

    public override string ToRepr() => Nesting.Guard(this, () =>
    {
        var text = new StringBuilder("{");
        var first = true;
        foreach (var (key, value) in _entries)
        {
            text.Append(first ? string.Empty : ", ").Append(key.ToRepr()).Append(": ").Append(value.ToRepr());
            first = false;
        }

        return text.Append('}').ToString();
    });
}

/// <summary>Jinja's <c>namespace()</c>: the one object a template can change, by <c>{% set ns.name = value %}</c>.</summary>
internal sealed class NamespaceValue : Value
{
    private readonly Dictionary<string, Value> _attributes = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public override string TypeName => "Namespace";

    public override bool IsTruthy => true;

    public bool TryGet(string name, out Value value) => _attributes.TryGetValue(name, out value!);

    public void Set(string name, Value value)
    {
        if (!_attributes.ContainsKey(name))
        {
            _order.Add(name);
        }

        _attributes[name] = value;
    }

    public override string ToText() => Nesting.Guard(this, () =>
        "<Namespace {" + string.Join(", ", _order.Select(name => $"{PythonText.Repr(name)}: {_attributes[name].ToRepr()}")) + "}>", "<Namespace {...}>");
}

/// <summary>Something callable: a global function, a filter-free builtin method bound to its object, or a macro.</summary>
internal sealed class FunctionValue(string name, Func<Arguments, Value> invoke) : Value
{
    public string Name { get; } = name;

    public override string TypeName => "function";

    public override bool IsTruthy => true;

    public Value Invoke(Arguments arguments) => invoke(arguments);

    public override string ToText() => $"<function {Name}>";
}
