namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>
/// Variables visible at a point of the template. A for loop's iteration, a macro call and a with block each get
/// their own scope, so what they set does not leak out (Jinja's scoping; a namespace carries values out).
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private Dictionary<string, Value>? _values;

    public Value? Find(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._values is { } values && values.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return null;
    }

    public Scope? Parent { get; } = parent;

    public void Set(string name, Value value) => (_values ??= new Dictionary<string, Value>(StringComparer.Ordinal))[name] = value;
}
