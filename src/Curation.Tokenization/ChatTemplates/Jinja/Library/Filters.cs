using System.Globalization;
using System.Text.RegularExpressions;
using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

internal delegate Value Filter(Evaluator evaluator, Value input, Arguments arguments);

/// <summary>
/// Jinja's built-in filters that chat templates use, with Jinja's behaviour (including its quirks: <c>unique</c>,
/// <c>sort</c> and <c>dictsort</c> ignore case unless told otherwise; <c>round</c> returns a float), and
/// Hugging Face's <c>tojson</c>.
/// </summary>
internal static partial class Filters
{
    public static IReadOnlyDictionary<string, Filter> All { get; } = new Dictionary<string, Filter>(StringComparer.Ordinal)
    {
        ["abs"] = Abs,
        ["attr"] = Attribute,
        ["batch"] = Batch,
        ["capitalize"] = (_, input, arguments) => Text(input, arguments, "capitalize", StringMethods.Capitalize),
        ["center"] = Center,
        ["count"] = Length,
        ["d"] = Default,
        ["default"] = Default,
        ["dictsort"] = DictSort,
        ["e"] = Escape,
        ["escape"] = Escape,
        ["first"] = First,
        ["float"] = Float,
        ["forceescape"] = (_, input, arguments) => NoArguments(arguments, "forceescape", new StringValue(Html.Escape(input.ToText()), isMarkup: true)),
        ["format"] = Format,
        ["indent"] = Indent,
        ["int"] = Int,
        ["items"] = Items,
        ["join"] = Join,
        ["last"] = Last,
        ["length"] = Length,
        ["list"] = (_, input, arguments) => NoArguments(arguments, "list", new ListValue([.. Operations.Iterate(input)])),
        ["lower"] = (_, input, arguments) => Text(input, arguments, "lower", s => s.ToLowerInvariant()),
        ["map"] = Map,
        ["max"] = (evaluator, input, arguments) => Extreme(input, arguments, "max", largest: true),
        ["min"] = (evaluator, input, arguments) => Extreme(input, arguments, "min", largest: false),
        ["reject"] = (evaluator, input, arguments) => Select(evaluator, input, arguments, attribute: false, keep: false),
        ["rejectattr"] = (evaluator, input, arguments) => Select(evaluator, input, arguments, attribute: true, keep: false),
        ["replace"] = Replace,
        ["reverse"] = Reverse,
        ["round"] = Round,
        ["safe"] = (_, input, arguments) => NoArguments(arguments, "safe", input is StringValue { IsMarkup: true } ? input : new StringValue(input.ToText(), isMarkup: true)),
        ["select"] = (evaluator, input, arguments) => Select(evaluator, input, arguments, attribute: false, keep: true),
        ["selectattr"] = (evaluator, input, arguments) => Select(evaluator, input, arguments, attribute: true, keep: true),
        ["slice"] = Slice,
        ["sort"] = Sort,
        ["string"] = (_, input, arguments) => NoArguments(arguments, "string", input as StringValue ?? new StringValue(input.ToText())),
        ["sum"] = Sum,
        ["title"] = (_, input, arguments) => Text(input, arguments, "title", JinjaTitle),
        ["tojson"] = ToJson,
        ["trim"] = Trim,
        ["truncate"] = Truncate,
        ["unique"] = Unique,
        ["upper"] = (_, input, arguments) => Text(input, arguments, "upper", s => s.ToUpperInvariant()),
        ["wordcount"] = (_, input, arguments) => NoArguments(arguments, "wordcount", new IntValue(WordPattern().Count(input.ToText()))),
    };

    private static Value NoArguments(Arguments arguments, string name, Value result)
    {
        arguments.Bind(name);
        return result;
    }

    private static StringValue Text(Value input, Arguments arguments, string name, Func<string, string> change)
    {
        arguments.Bind(name);
        return new StringValue(change(input.ToText()));
    }

    private static Value Abs(Evaluator evaluator, Value input, Arguments arguments)
    {
        arguments.Bind("abs");
        return input switch
        {
            IntValue or BoolValue => new IntValue(checked(Math.Abs(Operations.AsLong(input)))),
            FloatValue real => new FloatValue(Math.Abs(real.Value)),
            UndefinedValue undefined => throw undefined.Fail(),
            _ => throw new TemplateRenderException($"bad operand type for abs(): '{input.TypeName}'"),
        };
    }

    /// <summary>An attribute only (a Python method, a namespace's value), never a dict's item.</summary>
    private static Value Attribute(Evaluator evaluator, Value input, Arguments arguments)
    {
        var name = arguments.Bind("attr", "name")[0]?.ToText() ?? throw new TemplateRenderException("attr() is missing the attribute name");
        return input switch
        {
            UndefinedValue undefined => throw undefined.Fail(),
            LoopValue or NamespaceValue => Access.GetAttribute(input, name),
            _ when !name.StartsWith('_') && BuiltinMethods.TryBind(input, name, out var method) => method,
            _ => new UndefinedValue($"{PythonText.Repr(Access.ObjectDescription(input))} has no attribute {PythonText.Repr(name)}"),
        };
    }

    private static ListValue Batch(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("batch", "linecount", "fill_with");
        var size = Operations.AsSize(bound[0] ?? throw new TemplateRenderException("batch() is missing linecount"), "batch linecount");
        if (size <= 0)
        {
            throw new TemplateRenderException("batch() linecount must be positive");
        }

        var batches = new List<Value>();
        var items = Operations.Iterate(input);
        for (var start = 0; start < items.Count; start += size)
        {
            var batch = items.Skip(start).Take(size).ToList();
            while (bound[1] is { } fill and not NoneValue && batch.Count < size)
            {
                batch.Add(fill);
            }

            batches.Add(new ListValue(batch));
        }

        return new ListValue(batches);
    }

    private static Value Center(Evaluator evaluator, Value input, Arguments arguments)
    {
        var width = arguments.Bind("center", "width")[0] ?? new IntValue(80);
        return BuiltinMethods.TryBind(new StringValue(input.ToText()), "center", out var center) && center is FunctionValue function
            ? function.Invoke(Arguments.Of(width))
            : throw new TemplateRenderException("center() failed");
    }

    private static Value Length(Evaluator evaluator, Value input, Arguments arguments) => NoArguments(arguments, "length", new IntValue(Operations.Length(input)));

    private static Value Default(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("default", "default_value", "boolean");
        var useDefault = input is UndefinedValue || ((bound[1]?.IsTruthy ?? false) && !input.IsTruthy);
        return useDefault ? bound[0] ?? StringValue.Empty : input;
    }

    private static ListValue DictSort(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("dictsort", "case_sensitive", "by", "reverse");
        if (input is not DictValue dict)
        {
            throw new TemplateRenderException($"dictsort expects a mapping, not {input.TypeName}");
        }

        var caseSensitive = bound[0]?.IsTruthy ?? false;
        var byValue = bound[1] switch
        {
            null => false,
            StringValue { Value: "key" } => false,
            StringValue { Value: "value" } => true,
            _ => throw new TemplateRenderException("You can only sort by either \"key\" or \"value\""),
        };
        var items = dict.Entries.ToList();
        var sorted = SortStable(items, entry => SortKey(byValue ? entry.Value : entry.Key, caseSensitive), bound[2]?.IsTruthy ?? false);
        return new ListValue([.. sorted.Select(entry => new ListValue([entry.Key, entry.Value], isTuple: true))]);
    }

    private static Value Escape(Evaluator evaluator, Value input, Arguments arguments) =>
        NoArguments(arguments, "escape", input is StringValue { IsMarkup: true } ? input : new StringValue(Html.Escape(input.ToText()), isMarkup: true));

    private static Value First(Evaluator evaluator, Value input, Arguments arguments) => End(input, arguments, "first");

    private static Value Last(Evaluator evaluator, Value input, Arguments arguments) => End(input, arguments, "last");

    private static Value End(Value input, Arguments arguments, string which)
    {
        arguments.Bind(which);
        var items = Operations.Iterate(input);
        if (items.Count == 0)
        {
            return new UndefinedValue($"No {which} item, sequence was empty.");
        }

        return which == "first" ? items[0] : items[^1];
    }

    private static Value Float(Evaluator evaluator, Value input, Arguments arguments)
    {
        var fallback = arguments.Bind("float", "default")[0] ?? new FloatValue(0);
        return ToFloat(input) is { } value ? new FloatValue(value) : fallback;
    }

    /// <summary>Python's <c>float(value)</c>, or null where it raises.</summary>
    public static double? ToFloat(Value input)
    {
        if (Operations.IsNumber(input))
        {
            return Operations.AsDouble(input);
        }

        if (input is not StringValue text)
        {
            return null;
        }

        var s = PythonText.Strip(text.Value).Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        var unsigned = s.TrimStart('+', '-');
        var negative = s.StartsWith('-');
        if (unsigned is "inf" or "infinity" or "nan")
        {
            return unsigned == "nan" ? double.NaN : negative ? double.NegativeInfinity : double.PositiveInfinity;
        }

        return s.Length > 0 && s.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or '+' or '-')
            && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    private static Value Int(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("int", "default", "base");
        var fallback = bound[0] ?? new IntValue(0);
        var radix = bound[1] is { } b ? (int)Operations.AsLong(b) : 10;
        if (input is StringValue text)
        {
            var s = PythonText.Strip(text.Value).Replace("_", string.Empty, StringComparison.Ordinal);
            var negative = s.StartsWith('-');
            var digits = s.TrimStart('+', '-');
            if (radix == 16 && digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                digits = digits[2..];
            }

            try
            {
                if (digits.Length > 0 && s.Count(c => c is '+' or '-') <= 1)
                {
                    var value = Convert.ToInt64(digits, radix is 2 or 8 or 10 or 16 ? radix : throw new TemplateRenderException("int() base must be 2, 8, 10 or 16"));
                    if (digits.All(Uri.IsHexDigit))
                    {
                        return new IntValue(negative ? -value : value);
                    }
                }
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
            }
        }

        if (input is IntValue or BoolValue)
        {
            return new IntValue(Operations.AsLong(input));
        }

        return ToFloat(input) is { } real && !double.IsNaN(real) && !double.IsInfinity(real) && Math.Abs(real) < 9.2e18
            ? new IntValue((long)Math.Truncate(real))
            : fallback;
    }

    private static StringValue Format(Evaluator evaluator, Value input, Arguments arguments)
    {
        if (arguments.Positional.Count > 0 && arguments.Named.Count > 0)
        {
            throw new TemplateRenderException("can't handle positional and keyword arguments at the same time");
        }

        Value values = arguments.Named.Count > 0
            ? new DictValue(arguments.Named.Select(named => KeyValuePair.Create<Value, Value>(new StringValue(named.Key), named.Value)))
            : new ListValue(arguments.Positional, isTuple: true);
        return new StringValue(PythonFormatting.Percent(input.ToText(), values));
    }

    private static StringValue Indent(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("indent", "width", "first", "blank");
        var indentation = bound[0] switch
        {
            null => "    ",
            StringValue text => text.Value,
            var width => new string(' ', Math.Max(0, Operations.AsSize(width, "indent width"))),
        };
        var lines = StringMethods.SplitLines(input.ToText() + "\n", keepEnds: false).Items.Select(line => line.ToText()).ToList();
        string result;
        if (bound[2]?.IsTruthy ?? false)
        {
            result = string.Join("\n" + indentation, lines);
        }
        else
        {
            result = lines[0] + string.Concat(lines.Skip(1).Select(line => "\n" + (line.Length > 0 ? indentation + line : line)));
        }

        return new StringValue((bound[1]?.IsTruthy ?? false) ? indentation + result : result);
    }

    private static ListValue Items(Evaluator evaluator, Value input, Arguments arguments)
    {
        arguments.Bind("items");
        return input switch
        {
            UndefinedValue => ListValue.Empty,
            DictValue dict => BuiltinMethods.Items(dict),
            _ => throw new TemplateRenderException($"Can only get item pairs from a mapping, not {input.TypeName}."),
        };
    }

    private static StringValue Join(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("join", "d", "attribute");
        var items = Operations.Iterate(input);
        if (bound[1] is { } attribute and not NoneValue)
        {
            items = [.. items.Select(item => AttributeGetter(attribute, null)(item))];
        }

        var separator = bound[0]?.ToText() ?? string.Empty;
        var joined = string.Join(separator, items.Select(item => item.ToText()));
        Operations.CheckLength(joined.Length, evaluator.Limits.MaxOutputLength);
        return new StringValue(joined);
    }

    private static ListValue Map(Evaluator evaluator, Value input, Arguments arguments)
    {
        var items = Operations.Iterate(input);
        if (arguments.Positional.Count == 0)
        {
            var bound = arguments.Bind("map", "attribute", "default");
            var getter = AttributeGetter(bound[0] ?? throw new TemplateRenderException("map() needs a filter name or attribute="), bound[1]);
            return new ListValue([.. items.Select(getter)]);
        }

        var filter = arguments.Positional[0].ToText();
        var rest = arguments.Skip(1);
        return new ListValue([.. items.Select(item => evaluator.ApplyFilter(filter, item, rest))]);
    }

    /// <summary>Jinja's attribute getter: a dotted path (<c>function.name</c>, <c>0.role</c>) looked up item first, with a default for what is undefined.</summary>
    public static Func<Value, Value> AttributeGetter(Value attribute, Value? fallback)
    {
        var parts = attribute is StringValue path
            ? path.Value.Split('.').Select(part => long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? (Value)new IntValue(index) : new StringValue(part)).ToArray()
            : [attribute];
        return item =>
        {
            foreach (var part in parts)
            {
                item = Access.GetItem(item, part);
            }

            return fallback is not null && item is UndefinedValue ? fallback : item;
        };
    }

    private static Value Extreme(Value input, Arguments arguments, string name, bool largest)
    {
        var bound = arguments.Bind(name, "case_sensitive", "attribute");
        var caseSensitive = bound[0]?.IsTruthy ?? false;
        var key = bound[1] is { } attribute and not NoneValue ? AttributeGetter(attribute, null) : (item => item);
        var items = Operations.Iterate(input);
        if (items.Count == 0)
        {
            return new UndefinedValue("No aggregated item, sequence was empty.");
        }

        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            var order = Operations.Compare(SortKey(key(item), caseSensitive), SortKey(key(best), caseSensitive), largest ? ">" : "<");
            if (largest ? order > 0 : order < 0)
            {
                best = item;
            }
        }

        return best;
    }

    private static ListValue Select(Evaluator evaluator, Value input, Arguments arguments, bool attribute, bool keep)
    {
        var items = Operations.Iterate(input);
        var rest = arguments.Positional;
        Func<Value, Value> subject = item => item;
        if (attribute)
        {
            if (rest.Count == 0)
            {
                throw new TemplateRenderException("Missing parameter for attribute name");
            }

            subject = AttributeGetter(rest[0], null);
            rest = [.. rest.Skip(1)];
        }

        Func<Value, bool> test = rest.Count == 0
            ? value => value.IsTruthy
            : value => evaluator.ApplyTest(rest[0].ToText(), value, new Arguments([.. rest.Skip(1)], arguments.Named));
        return new ListValue([.. items.Where(item => test(subject(item)) == keep)]);
    }

    private static StringValue Replace(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("replace", "old", "new", "count");
        var old = bound[0]?.ToText() ?? throw new TemplateRenderException("replace() is missing old");
        var replacement = bound[1]?.ToText() ?? throw new TemplateRenderException("replace() is missing new");
        var count = bound[2] is { } c and not NoneValue ? Operations.AsLong(c) : -1;
        var text = input.ToText();
        long occurrences = old.Length == 0 ? PythonText.Length(text) + 1 : StringMethods.SplitOn(text, old, count, fromEnd: false).Count - 1;
        occurrences = count >= 0 ? Math.Min(occurrences, count) : occurrences;
        Operations.CheckLength(text.Length + (occurrences * (replacement.Length - old.Length)), evaluator.Limits.MaxOutputLength);
        var replaced = StringMethods.Replace(text, old, replacement, count);
        Operations.CheckLength(replaced.Length, evaluator.Limits.MaxOutputLength);
        return new StringValue(replaced);
    }

    private static Value Reverse(Evaluator evaluator, Value input, Arguments arguments)
    {
        arguments.Bind("reverse");
        if (input is StringValue text)
        {
            return new StringValue(string.Concat(PythonText.CodePoints(text.Value).Reverse()));
        }

        var items = Operations.Iterate(input).ToList();
        items.Reverse();
        return new ListValue(items);
    }

    private static Value Round(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("round", "precision", "method");
        var precision = bound[0] is { } p ? Operations.AsLong(p) : 0;
        var method = bound[1]?.ToText() ?? "common";
        if (!Operations.IsNumber(input))
        {
            throw new TemplateRenderException($"type {input.TypeName} doesn't define __round__ method");
        }

        if (method == "common")
        {
            // Python's round keeps an int an int, a negative precision rounding it to tens, hundreds, ...
            return Operations.IsInteger(input)
                ? new IntValue(precision >= 0 ? Operations.AsLong(input) : (long)PythonMath.Round(Operations.AsDouble(input), precision))
                : new FloatValue(PythonMath.Round(Operations.AsDouble(input), precision));
        }

        var scale = Math.Pow(10, precision);
        return method switch
        {
            "ceil" => new FloatValue(Math.Ceiling(Operations.AsDouble(input) * scale) / scale),
            "floor" => new FloatValue(Math.Floor(Operations.AsDouble(input) * scale) / scale),
            _ => throw new TemplateRenderException("method must be common, ceil or floor"),
        };
    }

    private static ListValue Slice(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("slice", "slices", "fill_with");
        var count = Operations.AsSize(bound[0] ?? throw new TemplateRenderException("slice() is missing slices"), "slice count");
        if (count <= 0)
        {
            throw new TemplateRenderException("slice() slices must be positive");
        }

        var items = Operations.Iterate(input);
        var perSlice = items.Count / count;
        var withExtra = items.Count % count;
        var offset = 0;
        var slices = new List<Value>();
        for (var i = 0; i < count; i++)
        {
            var start = offset + (i * perSlice);
            if (i < withExtra)
            {
                offset++;
            }

            var end = offset + ((i + 1) * perSlice);
            var part = items.Skip(start).Take(end - start).ToList();
            if (bound[1] is { } fill and not NoneValue && i >= withExtra)
            {
                part.Add(fill);
            }

            slices.Add(new ListValue(part));
        }

        return new ListValue(slices);
    }

    private static ListValue Sort(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("sort", "reverse", "case_sensitive", "attribute");
        var caseSensitive = bound[1]?.IsTruthy ?? false;
        var key = bound[2] is { } attribute and not NoneValue ? AttributeGetter(attribute, null) : (item => item);
        return new ListValue(SortStable(Operations.Iterate(input), item => SortKey(key(item), caseSensitive), bound[0]?.IsTruthy ?? false));
    }

    private static List<T> SortStable<T>(IEnumerable<T> items, Func<T, Value> key, bool descending)
    {
        var keyed = items.Select((item, index) => (Item: item, Key: key(item), Index: index)).ToList();
        keyed.Sort((a, b) =>
        {
            var order = Operations.Compare(a.Key, b.Key, "<");
            return order != 0 ? (descending ? -order : order) : a.Index.CompareTo(b.Index);
        });
        return [.. keyed.Select(entry => entry.Item)];
    }

    /// <summary>Jinja's sort key: strings lower-cased unless case matters.</summary>
    private static Value SortKey(Value value, bool caseSensitive) =>
        !caseSensitive && value is StringValue text ? new StringValue(text.Value.ToLowerInvariant()) : value;

    private static Value Sum(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("sum", "attribute", "start");
        var items = Operations.Iterate(input);
        if (bound[0] is { } attribute and not NoneValue)
        {
            items = [.. items.Select(AttributeGetter(attribute, null))];
        }

        return items.Aggregate(bound[1] ?? new IntValue(0), (total, item) => Operations.Add(total, item, evaluator.Limits.MaxOutputLength));
    }

    /// <summary>Jinja's <c>title</c>: each word (split at whitespace, '-', and opening brackets) upper-cased first, lower-cased after.</summary>
    private static string JinjaTitle(string text) => string.Concat(WordBeginning().Split(text)
        .Where(part => part.Length > 0)
        .Select(part => char.ToUpperInvariant(part[0]) + part[1..].ToLowerInvariant()));

    private static StringValue ToJson(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("tojson", "ensure_ascii", "indent", "separators", "sort_keys");
        return new StringValue(JsonDumps.Serialize(
            input,
            bound[0]?.IsTruthy ?? false,
            bound[1] ?? NoneValue.Instance,
            bound[2] ?? NoneValue.Instance,
            bound[3]?.IsTruthy ?? false,
            evaluator.Limits.MaxOutputLength));
    }

    private static StringValue Trim(Evaluator evaluator, Value input, Arguments arguments)
    {
        var chars = arguments.Bind("trim", "chars")[0];
        return new StringValue(StringMethods.Strip(input.ToText(), chars is null or NoneValue ? null : chars.ToText(), start: true, end: true));
    }

    private static StringValue Truncate(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("truncate", "length", "killwords", "end", "leeway");
        var text = input.ToText();
        var length = bound[0] is { } l ? Operations.AsSize(l, "truncate length") : 255;
        var end = bound[2]?.ToText() ?? "...";
        var leeway = bound[3] is { } w and not NoneValue ? Operations.AsSize(w, "truncate leeway") : 5;
        if (length < end.Length || leeway < 0)
        {
            throw new TemplateRenderException("truncate: length must be at least the end's length, and leeway not negative");
        }

        if (text.Length <= length + leeway)
        {
            return new StringValue(text);
        }

        if (bound[1]?.IsTruthy ?? false)
        {
            return new StringValue(text[..(length - end.Length)] + end);
        }

        var cut = text[..(length - end.Length)];
        var space = cut.LastIndexOf(' ');
        return new StringValue((space < 0 ? cut : cut[..space]) + end);
    }

    private static ListValue Unique(Evaluator evaluator, Value input, Arguments arguments)
    {
        var bound = arguments.Bind("unique", "case_sensitive", "attribute");
        var caseSensitive = bound[0]?.IsTruthy ?? false;
        var key = bound[1] is { } attribute and not NoneValue ? AttributeGetter(attribute, null) : (item => item);
        var seen = new HashSet<Value>(ValueKeyComparer.Instance);
        return new ListValue([.. Operations.Iterate(input).Where(item => seen.Add(SortKey(key(item), caseSensitive)))]);
    }

    [GeneratedRegex(@"([-\s({\[<]+)")]
    private static partial Regex WordBeginning();

    [GeneratedRegex(@"\w+")]
    private static partial Regex WordPattern();
}
