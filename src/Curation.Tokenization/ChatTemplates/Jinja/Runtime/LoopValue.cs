namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>
/// The <c>loop</c> variable of a for loop: <c>index</c>, <c>index0</c>, <c>revindex</c>, <c>revindex0</c>,
/// <c>first</c>, <c>last</c>, <c>length</c>, <c>previtem</c>, <c>nextitem</c>, <c>depth</c>, <c>depth0</c>,
/// <c>cycle(...)</c> and <c>changed(...)</c>.
/// </summary>
internal sealed class LoopValue(IReadOnlyList<Value> items) : Value
{
    private IReadOnlyList<Value>? _lastChanged;

    public int Index0 { get; set; }

    public override string TypeName => "LoopContext";

    public override bool IsTruthy => true;

    public override string ToText() => $"<LoopContext {Index0 + 1}/{items.Count}>";

    public Value GetAttribute(string name) => name switch
    {
        "index" => new IntValue(Index0 + 1),
        "index0" => new IntValue(Index0),
        "revindex" => new IntValue(items.Count - Index0),
        "revindex0" => new IntValue(items.Count - Index0 - 1),
        "first" => BoolValue.Of(Index0 == 0),
        "last" => BoolValue.Of(Index0 == items.Count - 1),
        "length" => new IntValue(items.Count),
        "depth" => new IntValue(1),
        "depth0" => new IntValue(0),
        "previtem" => Index0 > 0 ? items[Index0 - 1] : new UndefinedValue("there is no previous item"),
        "nextitem" => Index0 < items.Count - 1 ? items[Index0 + 1] : new UndefinedValue("there is no next item"),
        "cycle" => new FunctionValue("loop.cycle", Cycle),
        "changed" => new FunctionValue("loop.changed", Changed),
        _ => new UndefinedValue($"'LoopContext object' has no attribute '{name}'"),
    };

    private Value Cycle(Arguments arguments)
    {
        if (arguments.Positional.Count == 0)
        {
            throw new TemplateRenderException("no items for cycling given");
        }

        return arguments.Positional[Index0 % arguments.Positional.Count];
    }

    private BoolValue Changed(Arguments arguments)
    {
        if (_lastChanged is { } last && last.Count == arguments.Positional.Count && last.Zip(arguments.Positional).All(pair => Operations.AreEqual(pair.First, pair.Second)))
        {
            return BoolValue.False;
        }

        _lastChanged = arguments.Positional;
        return BoolValue.True;
    }
}
