using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

/// <summary>
/// The functions a chat template can call: Jinja's <c>range</c>, <c>namespace</c>, <c>dict</c> and <c>joiner</c>, and
/// Hugging Face's <c>raise_exception</c> and <c>strftime_now</c>.
/// </summary>
internal static class Globals
{
    public static IEnumerable<KeyValuePair<string, Value>> For(RenderLimits limits, Func<DateTime> now) =>
    [
        Function("range", arguments => Range(arguments, limits.MaxRange)),
        Function("namespace", Namespace),
        Function("dict", arguments =>
        {
            var entries = arguments.Positional.Count switch
            {
                0 => [],
                1 when arguments.Positional[0] is DictValue given => given.Entries,
                1 => Operations.Iterate(arguments.Positional[0]).Select(pair => Operations.Iterate(pair) is [var key, var value]
                    ? KeyValuePair.Create(key, value)
                    : throw new TemplateRenderException("dict() sequence elements must be pairs")),
                _ => throw new TemplateRenderException("dict expected at most 1 argument"),
            };
            return new DictValue([.. entries, .. arguments.Named.Select(Named)]);
        }),
        Function("joiner", arguments =>
        {
            var separator = arguments.Bind("joiner", "sep")[0]?.ToText() ?? ", ";
            var used = false;
            return new FunctionValue("joiner", _ =>
            {
                var text = used ? separator : string.Empty;
                used = true;
                return new StringValue(text);
            });
        }),
        Function("raise_exception", arguments =>
            throw new TemplateRenderException(arguments.Bind("raise_exception", "message")[0]?.ToText() ?? "raise_exception() called") { RaisedByTemplate = true }),
        Function("strftime_now", arguments =>
            new StringValue(Strftime.Format(now(), arguments.Bind("strftime_now", "format")[0]?.ToText() ?? throw new TemplateRenderException("strftime_now() needs a format")))),
    ];

    private static KeyValuePair<string, Value> Function(string name, Func<Arguments, Value> invoke) => KeyValuePair.Create<string, Value>(name, new FunctionValue(name, invoke));

    private static KeyValuePair<Value, Value> Named(KeyValuePair<string, Value> named) => KeyValuePair.Create<Value, Value>(new StringValue(named.Key), named.Value);

    private static ListValue Range(Arguments arguments, int maxRange)
    {
        if (arguments.Named.Count > 0)
        {
            throw new TemplateRenderException("range() takes no keyword arguments");
        }

        var numbers = arguments.Positional.Select(Operations.AsLong).ToArray();
        var (start, stop, step) = numbers.Length switch
        {
            1 => (0L, numbers[0], 1L),
            2 => (numbers[0], numbers[1], 1L),
            3 => (numbers[0], numbers[1], numbers[2]),
            _ => throw new TemplateRenderException($"range expected 1 to 3 arguments, got {numbers.Length}"),
        };
        if (step == 0)
        {
            throw new TemplateRenderException("range() arg 3 must not be zero");
        }

        var count = step > 0 ? (stop > start ? ((stop - start - 1) / step) + 1 : 0) : (start > stop ? ((start - stop - 1) / -step) + 1 : 0);
        if (count > maxRange)
        {
            throw new TemplateLimitException($"range() of {count} items is over the limit of {maxRange}");
        }

        var items = new Value[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = new IntValue(start + (i * step));
        }

        return new ListValue(items);
    }

    private static NamespaceValue Namespace(Arguments arguments)
    {
        var ns = new NamespaceValue();
        foreach (var positional in arguments.Positional)
        {
            if (positional is not DictValue dict)
            {
                throw new TemplateRenderException($"namespace() takes a dict, not {positional.TypeName}");
            }

            foreach (var (key, value) in dict.Entries)
            {
                ns.Set(key.ToText(), value);
            }
        }

        foreach (var (name, value) in arguments.Named)
        {
            ns.Set(name, value);
        }

        return ns;
    }
}
