using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

/// <summary>The Python methods templates call on strings, dicts and lists, bound to their object.</summary>
internal static class BuiltinMethods
{
    // What the immutable sandbox refuses: methods that would change a list or dict.
    private static readonly HashSet<string> ListMutators = new(StringComparer.Ordinal) { "append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear", "__setitem__", "__delitem__" };
    private static readonly HashSet<string> DictMutators = new(StringComparer.Ordinal) { "pop", "popitem", "setdefault", "update", "clear", "__setitem__", "__delitem__" };

    /// <summary>Whether <paramref name="target"/>'s Python type has a method <paramref name="name"/>; a refused one binds to an undefined value that fails when called.</summary>
    public static bool TryBind(Value target, string name, out Value method)
    {
        method = target switch
        {
            StringValue text => StringMethods.Bind(text, name),
            DictValue when DictMutators.Contains(name) => Refused(target, name),
            DictValue dict => DictMethod(dict, name),
            ListValue list when !list.IsTuple && ListMutators.Contains(name) => Refused(target, name),
            ListValue list => ListMethod(list, name),
            _ => null,
        } ?? NoMethod;
        return !ReferenceEquals(method, NoMethod);
    }

    private static Value NoMethod { get; } = new UndefinedValue("no such method");

    private static UndefinedValue Refused(Value target, string name) =>
        new($"access to attribute '{name}' of '{target.TypeName}' object is unsafe.");

    private static FunctionValue? DictMethod(DictValue dict, string name) => name switch
    {
        "items" => new FunctionValue("dict.items", arguments => NoArguments("items", arguments, Items(dict))),
        "keys" => new FunctionValue("dict.keys", arguments => NoArguments("keys", arguments, new ListValue([.. dict.Keys]))),
        "values" => new FunctionValue("dict.values", arguments => NoArguments("values", arguments, new ListValue([.. dict.Entries.Select(e => e.Value)]))),
        "get" => new FunctionValue("dict.get", arguments =>
        {
            var bound = arguments.Bind("get", "key", "default");
            return dict.TryGet(bound[0] ?? throw new TemplateRenderException("get expected at least 1 argument, got 0"), out var value) ? value : bound[1] ?? NoneValue.Instance;
        }),
        "copy" => new FunctionValue("dict.copy", arguments => NoArguments("copy", arguments, new DictValue(dict.Entries))),
        _ => null,
    };

    public static ListValue Items(DictValue dict) => new([.. dict.Entries.Select(e => new ListValue([e.Key, e.Value], isTuple: true))]);

    private static FunctionValue? ListMethod(ListValue list, string name) => name switch
    {
        "index" => new FunctionValue($"{list.TypeName}.index", arguments =>
        {
            var item = arguments.Bind("index", "value")[0] ?? throw new TemplateRenderException("index expected 1 argument, got 0");
            for (var i = 0; i < list.Items.Count; i++)
            {
                if (Operations.AreEqual(list.Items[i], item))
                {
                    return new IntValue(i);
                }
            }

            throw new TemplateRenderException($"{item.ToRepr()} is not in {list.TypeName}");
        }),
        "count" => new FunctionValue($"{list.TypeName}.count", arguments =>
        {
            var item = arguments.Bind("count", "value")[0] ?? throw new TemplateRenderException("count expected 1 argument, got 0");
            return new IntValue(list.Items.Count(element => Operations.AreEqual(element, item)));
        }),
        "copy" when !list.IsTuple => new FunctionValue("list.copy", arguments => NoArguments("copy", arguments, new ListValue([.. list.Items]))),
        _ => null,
    };

    private static Value NoArguments(string name, Arguments arguments, Value result)
    {
        arguments.Bind(name);
        return result;
    }
}
