using System.Globalization;
using System.Text;
using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

/// <summary>Python's <c>str</c> methods, as templates call them (<c>content.strip()</c>, <c>name.startswith('x')</c>).</summary>
internal static class StringMethods
{
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "casefold", "encode", "expandtabs", "format_map", "isascii", "isidentifier", "isprintable", "maketrans", "translate",
    };

    /// <summary>The method bound to <paramref name="text"/>, or null when <c>str</c> has none of that name.</summary>
    public static Value? Bind(StringValue text, string name)
    {
        var s = text.Value;
        Func<Arguments, Value>? invoke = name switch
        {
            "startswith" => arguments => BoolValue.Of(Affix(s, "startswith", arguments, (whole, part) => whole.StartsWith(part, StringComparison.Ordinal))),
            "endswith" => arguments => BoolValue.Of(Affix(s, "endswith", arguments, (whole, part) => whole.EndsWith(part, StringComparison.Ordinal))),
            "strip" => arguments => new StringValue(Strip(s, Chars(arguments, "strip"), start: true, end: true)),
            "lstrip" => arguments => new StringValue(Strip(s, Chars(arguments, "lstrip"), start: true, end: false)),
            "rstrip" => arguments => new StringValue(Strip(s, Chars(arguments, "rstrip"), start: false, end: true)),
            "split" => arguments => Split(s, arguments, "split", fromEnd: false),
            "rsplit" => arguments => Split(s, arguments, "rsplit", fromEnd: true),
            "splitlines" => arguments => SplitLines(s, arguments.Bind("splitlines", "keepends")[0]?.IsTruthy ?? false),
            "replace" => arguments => Replace(s, arguments),
            "upper" => arguments => NoArguments(arguments, "upper", s.ToUpperInvariant()),
            "lower" => arguments => NoArguments(arguments, "lower", s.ToLowerInvariant()),
            "title" => arguments => NoArguments(arguments, "title", Title(s)),
            "capitalize" => arguments => NoArguments(arguments, "capitalize", Capitalize(s)),
            "swapcase" => arguments => NoArguments(arguments, "swapcase", string.Concat(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)))),
            "find" => arguments => new IntValue(Find(s, arguments, "find", fromEnd: false)),
            "rfind" => arguments => new IntValue(Find(s, arguments, "rfind", fromEnd: true)),
            "index" => arguments => Found(Find(s, arguments, "index", fromEnd: false)),
            "rindex" => arguments => Found(Find(s, arguments, "rindex", fromEnd: true)),
            "count" => arguments => new IntValue(Count(s, Required(arguments.Bind("count", "sub")[0], "count"))),
            "join" => arguments => Join(s, arguments),
            "format" => arguments => new StringValue(PythonFormatting.Format(s, arguments)),
            "removeprefix" => arguments => new StringValue(Required(arguments.Bind("removeprefix", "prefix")[0], "removeprefix") is var prefix && s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s),
            "removesuffix" => arguments => new StringValue(Required(arguments.Bind("removesuffix", "suffix")[0], "removesuffix") is var suffix && suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s),
            "center" => arguments => Pad(s, arguments, "center"),
            "ljust" => arguments => Pad(s, arguments, "ljust"),
            "rjust" => arguments => Pad(s, arguments, "rjust"),
            "zfill" => arguments => new StringValue(ZeroFill(s, Operations.AsSize(arguments.Bind("zfill", "width")[0] ?? throw Missing("zfill"), "zfill width"))),
            "partition" => arguments => Partition(s, Required(arguments.Bind("partition", "sep")[0], "partition"), fromEnd: false),
            "rpartition" => arguments => Partition(s, Required(arguments.Bind("rpartition", "sep")[0], "rpartition"), fromEnd: true),
            "isdigit" or "isdecimal" or "isnumeric" => arguments => NoArguments(arguments, name, s.Length > 0 && s.All(char.IsDigit)),
            "isalpha" => arguments => NoArguments(arguments, name, s.Length > 0 && s.All(char.IsLetter)),
            "isalnum" => arguments => NoArguments(arguments, name, s.Length > 0 && s.All(char.IsLetterOrDigit)),
            "isspace" => arguments => NoArguments(arguments, name, s.Length > 0 && s.All(PythonText.IsWhitespace)),
            "isupper" => arguments => NoArguments(arguments, name, s.Any(char.IsUpper) && !s.Any(char.IsLower)),
            "islower" => arguments => NoArguments(arguments, name, s.Any(char.IsLower) && !s.Any(char.IsUpper)),
            "istitle" => arguments => NoArguments(arguments, name, s.Any(char.IsLetter) && Title(s) == s),
            _ => null,
        };
        if (invoke is not null)
        {
            return new FunctionValue("str." + name, invoke);
        }

        return Unsupported.Contains(name) ? new UndefinedValue($"str.{name}() is not supported in chat templates") : null;
    }

    private static TemplateRenderException Missing(string method) => new($"{method}() is missing a required argument");

    private static string Required(Value? value, string method) => value switch
    {
        null => throw Missing(method),
        StringValue text => text.Value,
        _ => throw new TemplateRenderException($"{method}() argument must be str, not {value.TypeName}"),
    };

    private static StringValue NoArguments(Arguments arguments, string name, string result)
    {
        arguments.Bind(name);
        return new StringValue(result);
    }

    private static BoolValue NoArguments(Arguments arguments, string name, bool result)
    {
        arguments.Bind(name);
        return BoolValue.Of(result);
    }

    private static bool Affix(string s, string method, Arguments arguments, Func<string, string, bool> test)
    {
        var bound = arguments.Bind(method, "prefix", "start", "end");
        var window = Window(s, bound[1], bound[2]);
        return bound[0] switch
        {
            StringValue part => test(window, part.Value),
            ListValue { IsTuple: true } parts => parts.Items.Any(part => part is StringValue text ? test(window, text.Value) : throw new TemplateRenderException($"tuple for {method} must only contain str, not {part.TypeName}")),
            null => throw Missing(method),
            var other => throw new TemplateRenderException($"{method} first arg must be str or a tuple of str, not {other.TypeName}"),
        };
    }

    /// <summary>The part of <paramref name="s"/> between optional Python start and end indices.</summary>
    private static string Window(string s, Value? start, Value? end)
    {
        if (start is null or NoneValue && end is null or NoneValue)
        {
            return s;
        }

        return Access.Slice(new StringValue(s), start ?? NoneValue.Instance, end ?? NoneValue.Instance, NoneValue.Instance).ToText();
    }

    private static string? Chars(Arguments arguments, string method) => arguments.Bind(method, "chars")[0] switch
    {
        null or NoneValue => null,
        StringValue chars => chars.Value,
        var other => throw new TemplateRenderException($"{method} arg must be None or str, not {other.TypeName}"),
    };

    public static string Strip(string s, string? chars, bool start, bool end)
    {
        Func<char, bool> strip = chars is null ? PythonText.IsWhitespace : c => chars.Contains(c, StringComparison.Ordinal);
        var from = 0;
        var to = s.Length;
        while (start && from < to && strip(s[from]))
        {
            from++;
        }

        while (end && to > from && strip(s[to - 1]))
        {
            to--;
        }

        return s[from..to];
    }

    private static ListValue Split(string s, Arguments arguments, string method, bool fromEnd)
    {
        var bound = arguments.Bind(method, "sep", "maxsplit");
        var limit = bound[1] is { } max ? Operations.AsLong(max) : -1;
        var separator = bound[0] switch
        {
            null or NoneValue => null,
            StringValue text when text.Value.Length == 0 => throw new TemplateRenderException("empty separator"),
            StringValue text => text.Value,
            var other => throw new TemplateRenderException($"must be str or None, not {other.TypeName}"),
        };
        var parts = separator is null ? SplitWhitespace(s, limit, fromEnd) : SplitOn(s, separator, limit, fromEnd);
        return new ListValue([.. parts.Select(part => new StringValue(part))]);
    }

    public static List<string> SplitOn(string s, string separator, long limit, bool fromEnd)
    {
        var parts = new List<string>();
        if (!fromEnd)
        {
            var start = 0;
            while (limit < 0 || parts.Count < limit)
            {
                var at = s.IndexOf(separator, start, StringComparison.Ordinal);
                if (at < 0)
                {
                    break;
                }

                parts.Add(s[start..at]);
                start = at + separator.Length;
            }

            parts.Add(s[start..]);
            return parts;
        }

        var end = s.Length;
        while (limit < 0 || parts.Count < limit)
        {
            var at = end - separator.Length < 0 ? -1 : s.LastIndexOf(separator, end - 1, end, StringComparison.Ordinal);
            if (at < 0 || at + separator.Length > end)
            {
                break;
            }

            parts.Add(s[(at + separator.Length)..end]);
            end = at;
        }

        parts.Add(s[..end]);
        parts.Reverse();
        return parts;
    }

    private static List<string> SplitWhitespace(string s, long limit, bool fromEnd)
    {
        var parts = new List<string>();
        if (!fromEnd)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && PythonText.IsWhitespace(s[i]))
                {
                    i++;
                }

                if (i >= s.Length)
                {
                    break;
                }

                if (limit >= 0 && parts.Count == limit)
                {
                    parts.Add(PythonText.TrimEnd(s[i..]));
                    break;
                }

                var start = i;
                while (i < s.Length && !PythonText.IsWhitespace(s[i]))
                {
                    i++;
                }

                parts.Add(s[start..i]);
            }

            return parts;
        }

        var end = s.Length;
        while (true)
        {
            while (end > 0 && PythonText.IsWhitespace(s[end - 1]))
            {
                end--;
            }

            if (end == 0)
            {
                break;
            }

            if (limit >= 0 && parts.Count == limit)
            {
                parts.Add(PythonText.TrimStart(s[..end]));
                break;
            }

            var stop = end;
            while (end > 0 && !PythonText.IsWhitespace(s[end - 1]))
            {
                end--;
            }

            parts.Add(s[end..stop]);
        }

        parts.Reverse();
        return parts;
    }

    /// <summary>Python's <c>splitlines</c>: on \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029.</summary>
    public static ListValue SplitLines(string s, bool keepEnds)
    {
        var lines = new List<Value>();
        var start = 0;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                var breakLength = c == '\r' && i + 1 < s.Length && s[i + 1] == '\n' ? 2 : 1;
                lines.Add(new StringValue(s[start..(keepEnds ? i + breakLength : i)]));
                i += breakLength;
                start = i;
            }
            else
            {
                i++;
            }
        }

        if (start < s.Length)
        {
            lines.Add(new StringValue(s[start..]));
        }

        return new ListValue(lines);
    }

    private static StringValue Replace(string s, Arguments arguments)
    {
        var bound = arguments.Bind("replace", "old", "new", "count");
        return new StringValue(Replace(s, Required(bound[0], "replace"), Required(bound[1], "replace"), bound[2] is { } count ? Operations.AsLong(count) : -1));
    }

    /// <summary>Python's <c>str.replace</c>, including an empty <paramref name="old"/> (inserted between characters).</summary>
    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count < 0 && old.Length > 0)
        {
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var result = new StringBuilder();
        var done = 0L;
        if (old.Length == 0)
        {
            var points = PythonText.CodePoints(s);
            foreach (var point in points)
            {
                if (count < 0 || done < count)
                {
                    result.Append(replacement);
                    done++;
                }

                result.Append(point);
            }

            if (count < 0 || done < count)
            {
                result.Append(replacement);
            }

            return result.ToString();
        }

        var start = 0;
        while (done < count)
        {
            var at = s.IndexOf(old, start, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            result.Append(s, start, at - start).Append(replacement);
            start = at + old.Length;
            done++;
        }

        return result.Append(s, start, s.Length - start).ToString();
    }

    /// <summary>Python's <c>str.title</c>: a cased letter after an uncased character starts a word.</summary>
    public static string Title(string s)
    {
        var result = new StringBuilder(s.Length);
        var previousCased = false;
        foreach (var c in s)
        {
            var cased = char.IsUpper(c) || char.IsLower(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter;
            result.Append(cased ? (previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)) : c);
            previousCased = cased;
        }

        return result.ToString();
    }

    /// <summary>Python's <c>str.capitalize</c>: the first character upper case, the rest lower case.</summary>
    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    private static int Find(string s, Arguments arguments, string method, bool fromEnd)
    {
        var bound = arguments.Bind(method, "sub", "start", "end");
        var part = Required(bound[0], method);
        var start = bound[1] is null or NoneValue ? 0 : Normalize(Operations.AsLong(bound[1]!), s.Length);
        var end = bound[2] is null or NoneValue ? s.Length : Normalize(Operations.AsLong(bound[2]!), s.Length);
        if (start > end || part.Length > end - start)
        {
            return -1;
        }

        var window = s[start..end];
        var at = fromEnd ? window.LastIndexOf(part, StringComparison.Ordinal) : window.IndexOf(part, StringComparison.Ordinal);
        return at < 0 ? -1 : at + start;

        static int Normalize(long index, int length) => (int)Math.Clamp(index < 0 ? index + length : index, 0, length);
    }

    private static IntValue Found(int index) => index >= 0 ? new IntValue(index) : throw new TemplateRenderException("substring not found");

    private static int Count(string s, string part)
    {
        if (part.Length == 0)
        {
            return PythonText.Length(s) + 1;
        }

        var count = 0;
        for (var at = s.IndexOf(part, StringComparison.Ordinal); at >= 0; at = s.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static StringValue Join(string separator, Arguments arguments)
    {
        var items = Operations.Iterate(arguments.Bind("join", "iterable")[0] ?? throw Missing("join"));
        var texts = items.Select((item, index) => item is StringValue text
            ? text.Value
            : throw new TemplateRenderException($"sequence item {index}: expected str instance, {item.TypeName} found"));
        return new StringValue(string.Join(separator, texts));
    }

    private static StringValue Pad(string s, Arguments arguments, string method)
    {
        var bound = arguments.Bind(method, "width", "fillchar");
        var width = Operations.AsSize(bound[0] ?? throw Missing(method), method + " width");
        var fill = bound[1] is StringValue { Value.Length: 1 } f ? f.Value[0] : bound[1] is null ? ' ' : throw new TemplateRenderException("The fill character must be exactly one character long");
        var length = PythonText.Length(s);
        if (width <= length)
        {
            return new StringValue(s);
        }

        var padding = width - length;
        var left = method switch
        {
            "ljust" => 0,
            "rjust" => padding,

            // Python centres with the extra space on the right, unless the padding and the width are both odd.
            _ => (padding / 2) + (padding & width & 1),
        };
        return new StringValue(new string(fill, left) + s + new string(fill, padding - left));
    }

    private static string ZeroFill(string s, int width)
    {
        if (s.Length >= width)
        {
            return s;
        }

        var sign = s.Length > 0 && s[0] is '+' or '-' ? s[..1] : string.Empty;
        return sign + new string('0', width - s.Length) + s[sign.Length..];
    }

    private static ListValue Partition(string s, string separator, bool fromEnd)
    {
        if (separator.Length == 0)
        {
            throw new TemplateRenderException("empty separator");
        }

        var at = fromEnd ? s.LastIndexOf(separator, StringComparison.Ordinal) : s.IndexOf(separator, StringComparison.Ordinal);
        string[] parts = at < 0
            ? (fromEnd ? [string.Empty, string.Empty, s] : [s, string.Empty, string.Empty])
            : [s[..at], separator, s[(at + separator.Length)..]];
        return new ListValue([.. parts.Select(part => new StringValue(part))], isTuple: true);
    }
}
