using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

internal delegate bool ValueTest(Evaluator evaluator, Value input, Arguments arguments);

/// <summary>Jinja's built-in tests, for <c>value is name</c> and the <c>select</c> family of filters.</summary>
internal static class ValueTests
{
    public static IReadOnlyDictionary<string, ValueTest> All { get; } = new Dictionary<string, ValueTest>(StringComparer.Ordinal)
    {
        ["defined"] = (_, input, arguments) => Plain(arguments, "defined", input is not UndefinedValue),
        ["undefined"] = (_, input, arguments) => Plain(arguments, "undefined", input is UndefinedValue),
        ["none"] = (_, input, arguments) => Plain(arguments, "none", input is NoneValue),
        ["boolean"] = (_, input, arguments) => Plain(arguments, "boolean", input is BoolValue),
        ["true"] = (_, input, arguments) => Plain(arguments, "true", input is BoolValue { Value: true }),
        ["false"] = (_, input, arguments) => Plain(arguments, "false", input is BoolValue { Value: false }),
        ["integer"] = (_, input, arguments) => Plain(arguments, "integer", input is IntValue),
        ["float"] = (_, input, arguments) => Plain(arguments, "float", input is FloatValue),
        ["number"] = (_, input, arguments) => Plain(arguments, "number", Operations.IsNumber(input)),
        ["string"] = (_, input, arguments) => Plain(arguments, "string", input is StringValue),
        ["mapping"] = (_, input, arguments) => Plain(arguments, "mapping", input is DictValue),
        ["sequence"] = (_, input, arguments) => Plain(arguments, "sequence", input is StringValue or ListValue or DictValue or UndefinedValue),
        ["iterable"] = (_, input, arguments) => Plain(arguments, "iterable", input is StringValue or ListValue or DictValue or UndefinedValue),
        ["callable"] = (_, input, arguments) => Plain(arguments, "callable", input is FunctionValue),
        ["escaped"] = (_, input, arguments) => Plain(arguments, "escaped", input is StringValue { IsMarkup: true }),
        ["lower"] = (_, input, arguments) => Plain(arguments, "lower", input.ToText() is var text && text.Any(char.IsLower) && !text.Any(char.IsUpper)),
        ["upper"] = (_, input, arguments) => Plain(arguments, "upper", input.ToText() is var text && text.Any(char.IsUpper) && !text.Any(char.IsLower)),
        ["odd"] = (_, input, arguments) => Plain(arguments, "odd", Operations.AsLong(Operations.Modulo(input, new IntValue(2))) == 1),
        ["even"] = (_, input, arguments) => Plain(arguments, "even", Operations.AsLong(Operations.Modulo(input, new IntValue(2))) == 0),
        ["divisibleby"] = (_, input, arguments) => Operations.AreEqual(Operations.Modulo(input, One(arguments, "divisibleby")), new IntValue(0)),
        ["sameas"] = (_, input, arguments) => SameAs(input, One(arguments, "sameas")),
        ["in"] = (_, input, arguments) => Operations.Contains(One(arguments, "in"), input),
        ["filter"] = (_, input, arguments) => Plain(arguments, "filter", input is StringValue name && Filters.All.ContainsKey(name.Value)),
        ["test"] = (_, input, arguments) => Plain(arguments, "test", input is StringValue name && All!.ContainsKey(name.Value)),
        ["eq"] = Equal,
        ["equalto"] = Equal,
        ["=="] = Equal,
        ["ne"] = (_, input, arguments) => !Operations.AreEqual(input, One(arguments, "ne")),
        ["!="] = (_, input, arguments) => !Operations.AreEqual(input, One(arguments, "!=")),
        ["lt"] = (_, input, arguments) => Operations.Compare(input, One(arguments, "lt"), "<") < 0,
        ["lessthan"] = (_, input, arguments) => Operations.Compare(input, One(arguments, "lessthan"), "<") < 0,
        ["<"] = (_, input, arguments) => Operations.Compare(input, One(arguments, "<"), "<") < 0,
        ["le"] = (_, input, arguments) => Operations.Compare(input, One(arguments, "le"), "<=") <= 0,
        ["<="] = (_, input, arguments) => Operations.Compare(input, One(arguments, "<="), "<=") <= 0,
        ["gt"] = (_, input, arguments) => Operations.Compare(input, One(arguments, "gt"), ">") > 0,
        ["greaterthan"] = (_, input, arguments) => Operations.Compare(input, One(arguments, "greaterthan"), ">") > 0,
        [">"] = (_, input, arguments) => Operations.Compare(input, One(arguments, ">"), ">") > 0,
        ["ge"] = (_, input, arguments) => Operations.Compare(input, One(arguments, "ge"), ">=") >= 0,
        [">="] = (_, input, arguments) => Operations.Compare(input, One(arguments, ">="), ">=") >= 0,
    };

    private static bool Equal(Evaluator evaluator, Value input, Arguments arguments) => Operations.AreEqual(input, One(arguments, "eq"));

    private static bool Plain(Arguments arguments, string name, bool result)
    {
        arguments.Bind(name);
        return result;
    }

    private static Value One(Arguments arguments, string name) =>
        arguments.Bind(name, "other")[0] ?? throw new TemplateRenderException($"test '{name}' needs a value to compare with");

    /// <summary>Python's <c>is</c>: None, True and False are singletons, small integers are cached, other values are themselves only.</summary>
    private static bool SameAs(Value input, Value other) => (input, other) switch
    {
        (NoneValue, NoneValue) => true,
        (BoolValue a, BoolValue b) => a.Value == b.Value,
        (IntValue a, IntValue b) => a.Value == b.Value && a.Value is >= -5 and <= 256,
        _ => ReferenceEquals(input, other),
    };
}
