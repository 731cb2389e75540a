using System.Globalization;
using System.Text;
using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

/// <summary>Python's string formatting: <c>'%s' % value</c> (and Jinja's <c>|format</c>) and <c>str.format</c>.</summary>
internal static class PythonFormatting
{
    /// <summary><c>format % values</c>: a tuple gives the positional values, a dict the <c>%(name)s</c> ones.</summary>
    public static string Percent(string format, Value values)
    {
        var positional = values is ListValue { IsTuple: true } tuple ? tuple.Items : [values];
        var mapping = values as DictValue;
        var next = 0;
        var result = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                result.Append(format[i]);
                continue;
            }

            if (++i >= format.Length)
            {
                throw new TemplateRenderException("incomplete format");
            }

            Value? value = null;
            if (format[i] == '(')
            {
                var close = format.IndexOf(')', i);
                if (close < 0 || mapping is null)
                {
                    throw new TemplateRenderException(mapping is null ? "format requires a mapping" : "incomplete format key");
                }

                value = mapping.TryGet(new StringValue(format[(i + 1)..close]), out var found)
                    ? found
                    : throw new TemplateRenderException($"KeyError: {PythonText.Repr(format[(i + 1)..close])}");
                i = close + 1;
            }

            var flags = string.Empty;
            while (i < format.Length && format[i] is '-' or '+' or ' ' or '#' or '0')
            {
                flags += format[i++];
            }

            var width = ReadNumberOrStar(format, ref i, positional, ref next);
            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = ReadNumberOrStar(format, ref i, positional, ref next) ?? 0;
            }

            while (i < format.Length && format[i] is 'h' or 'l' or 'L')
            {
                i++;
            }

            if (i >= format.Length)
            {
                throw new TemplateRenderException("incomplete format");
            }

            var type = format[i];
            if (type == '%')
            {
                result.Append('%');
                continue;
            }

            if (value is null)
            {
                value = next < positional.Count ? positional[next++] : throw new TemplateRenderException("not enough arguments for format string");
            }

            var left = flags.Contains('-', StringComparison.Ordinal);
            var zeroPad = !left && flags.Contains('0', StringComparison.Ordinal) && type is not ('s' or 'r' or 'a' or 'c');
            var sign = flags.Contains('+', StringComparison.Ordinal) ? '+' : flags.Contains(' ', StringComparison.Ordinal) ? ' ' : '-';
            var spec = new FormatSpec(zeroPad ? '0' : ' ', left ? '<' : zeroPad ? '=' : '>', sign, flags.Contains('#', StringComparison.Ordinal), false, width ?? 0, false, precision, type)
            {
                AlignGiven = true,
            };
            result.Append(type switch
            {
                's' => Align(Truncated(value.ToText(), precision), spec, numeric: false),
                'r' or 'a' => Align(Truncated(value.ToRepr(), precision), spec, numeric: false),
                'c' => Align(value is StringValue { Value.Length: 1 } c ? c.Value : char.ConvertFromUtf32((int)Operations.AsLong(value)), spec, numeric: false),
                _ => FormatNumber(value, spec with { Type = type is 'i' or 'u' ? 'd' : type }),
            });
        }

        if (mapping is null && next < positional.Count && values is ListValue { IsTuple: true })
        {
            throw new TemplateRenderException("not all arguments converted during string formatting");
        }

        return result.ToString();
    }

    private static string Truncated(string text, int? precision) => precision is { } p && p < text.Length ? text[..p] : text;

    private static int? ReadNumberOrStar(string format, ref int i, IReadOnlyList<Value> positional, ref int next)
    {
        if (i < format.Length && format[i] == '*')
        {
            i++;
            return next < positional.Count ? Operations.AsSize(positional[next++], "format width") : throw new TemplateRenderException("not enough arguments for format string");
        }

        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        return i > start ? Operations.AsSize(new IntValue(long.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture)), "format width") : null;
    }

    /// <summary><c>str.format</c>: <c>{}</c>, <c>{0}</c>, <c>{name}</c>, <c>{0.attribute}</c>, <c>{0[key]}</c>, <c>!r</c>/<c>!s</c> and a format spec.</summary>
    public static string Format(string format, Arguments arguments)
    {
        var result = new StringBuilder();
        var automatic = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}')
                {
                    result.Append('}');
                    i++;
                    continue;
                }

                throw new TemplateRenderException("Single '}' encountered in format string");
            }

            if (c != '{')
            {
                result.Append(c);
                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '{')
            {
                result.Append('{');
                i++;
                continue;
            }

            var close = format.IndexOf('}', i);
            if (close < 0)
            {
                throw new TemplateRenderException("Single '{' encountered in format string");
            }

            var field = format[(i + 1)..close];
            if (field.Contains('{', StringComparison.Ordinal))
            {
                throw new TemplateRenderException("nested replacement fields in a format spec are not supported");
            }

            i = close;
            var specAt = field.IndexOf(':', StringComparison.Ordinal);
            var spec = specAt < 0 ? string.Empty : field[(specAt + 1)..];
            field = specAt < 0 ? field : field[..specAt];
            var conversion = '\0';
            if (field.Length >= 2 && field[^2] == '!')
            {
                conversion = field[^1];
                field = field[..^2];
            }

            var value = Lookup(field, arguments, ref automatic);
            var text = conversion switch
            {
                'r' or 'a' => new StringValue(value.ToRepr()),
                's' => new StringValue(value.ToText()),
                '\0' => value,
                _ => throw new TemplateRenderException($"Unknown conversion specifier {conversion}"),
            };
            result.Append(ApplySpec(text, spec));
        }

        return result.ToString();
    }

    private static Value Lookup(string field, Arguments arguments, ref int automatic)
    {
        var end = field.IndexOfAny(['.', '[']);
        var head = end < 0 ? field : field[..end];
        Value value;
        if (head.Length == 0)
        {
            value = automatic < arguments.Positional.Count ? arguments.Positional[automatic++] : throw new TemplateRenderException($"Replacement index {automatic} out of range for positional args tuple");
        }
        else if (int.TryParse(head, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            value = index < arguments.Positional.Count ? arguments.Positional[index] : throw new TemplateRenderException($"Replacement index {index} out of range for positional args tuple");
        }
        else
        {
            value = arguments.Named.FirstOrDefault(n => n.Key == head).Value ?? throw new TemplateRenderException($"KeyError: {PythonText.Repr(head)}");
        }

        var rest = end < 0 ? string.Empty : field[end..];
        while (rest.Length > 0)
        {
            if (rest[0] == '.')
            {
                var next = rest.IndexOfAny(['.', '['], 1);
                var name = next < 0 ? rest[1..] : rest[1..next];
                value = Access.GetAttribute(value, name);
                rest = next < 0 ? string.Empty : rest[next..];
            }
            else
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new TemplateRenderException("Missing ']' in format string");
                }

                var key = rest[1..close];
                value = Access.GetItem(value, int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? new IntValue(number) : new StringValue(key));
                rest = rest[(close + 1)..];
            }

            if (value is UndefinedValue undefined)
            {
                throw undefined.Fail();
            }
        }

        return value;
    }

    /// <summary>The format spec mini-language: <c>[[fill]align][sign][#][0][width][,][.precision][type]</c>.</summary>
    private static string ApplySpec(Value value, string spec)
    {
        var parsed = FormatSpec.Parse(spec);
        if (Operations.IsNumber(value) && value is not BoolValue || (value is BoolValue && parsed.Type != '\0'))
        {
            return FormatNumber(value, parsed);
        }

        if (parsed.Type is not ('\0' or 's'))
        {
            throw new TemplateRenderException($"Unknown format code '{parsed.Type}' for object of type '{value.TypeName}'");
        }

        var text = value.ToText();
        if (parsed.Precision is { } precision && precision < text.Length)
        {
            text = text[..precision];
        }

        return Align(text, parsed with { Align = parsed.AlignGiven ? parsed.Align : '<' }, numeric: false);
    }

    private static string FormatNumber(Value value, FormatSpec spec)
    {
        if (!Operations.IsNumber(value))
        {
            throw new TemplateRenderException($"format requires a number, not {value.TypeName}");
        }

        var type = spec.Type;
        string digits;
        bool negative;
        if (type is '\0' or 'd' or 'n' or 'x' or 'X' or 'o' or 'b' && Operations.IsInteger(value) || (type is 'd' or 'x' or 'X' or 'o' && value is FloatValue))
        {
            var integer = value is FloatValue real ? (long)Math.Truncate(real.Value) : Operations.AsLong(value);
            negative = integer < 0;
            var magnitude = (ulong)Math.Abs((decimal)integer);
            digits = type switch
            {
                'x' => magnitude.ToString("x", CultureInfo.InvariantCulture),
                'X' => magnitude.ToString("X", CultureInfo.InvariantCulture),
                'o' => Convert.ToString((long)magnitude, 8),
                'b' => Convert.ToString((long)magnitude, 2),
                _ => magnitude.ToString(CultureInfo.InvariantCulture),
            };
            if (spec.Alternate && type is 'x' or 'X' or 'o' or 'b')
            {
                digits = "0" + (type == 'X' ? 'X' : type) + digits;
            }

            if (spec.Grouping)
            {
                digits = Grouped(digits);
            }
        }
        else
        {
            var real = Operations.AsDouble(value);
            negative = real < 0 || (real == 0 && double.IsNegative(real));
            digits = FloatDigits(Math.Abs(real), type, spec.Precision, spec.Alternate);
            if (spec.Grouping)
            {
                var point = digits.IndexOfAny(['.', 'e', '%']);
                digits = point < 0 ? Grouped(digits) : Grouped(digits[..point]) + digits[point..];
            }
        }

        var sign = negative ? "-" : spec.Sign switch { '+' => "+", ' ' => " ", _ => string.Empty };
        return Align(sign + digits, spec, numeric: true, signLength: sign.Length);
    }

    private static string Grouped(string digits)
    {
        var grouped = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            if (i > 0 && (digits.Length - i) % 3 == 0)
            {
                grouped.Append(',');
            }

            grouped.Append(digits[i]);
        }

        return grouped.ToString();
    }

    /// <summary>A non-negative float as Python's <c>f</c>, <c>e</c>, <c>g</c> and <c>%</c> types write it.</summary>
    public static string FloatDigits(double value, char type, int? precision, bool alternate)
    {
        if (double.IsNaN(value))
        {
            return char.IsUpper(type) ? "NAN" : "nan";
        }

        if (double.IsInfinity(value))
        {
            return char.IsUpper(type) ? "INF" : "inf";
        }

        switch (type)
        {
            case 'f' or 'F':
                return value.ToString("F" + (precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            case '%':
                return (value * 100).ToString("F" + (precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";
            case 'e' or 'E':
                return Exponential(value, precision ?? 6, type);
            case 'g' or 'G' or '\0' when precision is not null || type != '\0':
                var significant = Math.Max(precision ?? 6, 1);
                var exponent = value == 0 ? 0 : int.Parse(Exponential(value, significant - 1, 'e').Split('e')[1], CultureInfo.InvariantCulture);
                var text = exponent >= -4 && exponent < significant
                    ? value.ToString("F" + (significant - 1 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
                    : Exponential(value, significant - 1, type == 'G' ? 'E' : 'e');
                if (!alternate)
                {
                    var mark = text.IndexOfAny(['e', 'E']);
                    var mantissa = mark < 0 ? text : text[..mark];
                    if (mantissa.Contains('.', StringComparison.Ordinal))
                    {
                        mantissa = mantissa.TrimEnd('0').TrimEnd('.');
                    }

                    text = mantissa + (mark < 0 ? string.Empty : text[mark..]);
                }

                return type == '\0' && !text.Contains('.', StringComparison.Ordinal) && !text.Contains('e', StringComparison.Ordinal) ? text + ".0" : text;
            default:
                return PythonText.FormatFloat(value);
        }
    }

    private static string Exponential(double value, int precision, char type)
    {
        var text = value.ToString((type == 'E' ? "E" : "e") + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var mark = text.IndexOfAny(['e', 'E']);
        var exponent = int.Parse(text[(mark + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return text[..(mark + 1)] + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string Align(string text, FormatSpec spec, bool numeric, int signLength = 0)
    {
        var length = PythonText.Length(text);
        if (spec.Width <= length)
        {
            return text;
        }

        var padding = spec.Width - length;
        if (numeric && spec.ZeroPad && !spec.AlignGiven)
        {
            return text[..signLength] + new string('0', padding) + text[signLength..];
        }

        var align = spec.AlignGiven ? spec.Align : numeric ? '>' : '<';
        return align switch
        {
            '<' => text + new string(spec.Fill, padding),
            '^' => new string(spec.Fill, padding / 2) + text + new string(spec.Fill, padding - (padding / 2)),
            '=' => text[..signLength] + new string(spec.Fill, padding) + text[signLength..],
            _ => new string(spec.Fill, padding) + text,
        };
    }

    private sealed record FormatSpec(char Fill, char Align, char Sign, bool Alternate, bool ZeroPad, int Width, bool Grouping, int? Precision, char Type)
    {
        public bool AlignGiven { get; init; }

        public static FormatSpec Parse(string spec)
        {
            var i = 0;
            var fill = ' ';
            var align = '>';
            var alignGiven = false;
            if (spec.Length >= 2 && spec[1] is '<' or '>' or '^' or '=')
            {
                (fill, align, alignGiven, i) = (spec[0], spec[1], true, 2);
            }
            else if (spec.Length >= 1 && spec[0] is '<' or '>' or '^' or '=')
            {
                (align, alignGiven, i) = (spec[0], true, 1);
            }

            var sign = '-';
            if (i < spec.Length && spec[i] is '+' or '-' or ' ')
            {
                sign = spec[i++];
            }

            var alternate = i < spec.Length && spec[i] == '#';
            i += alternate ? 1 : 0;
            var zero = i < spec.Length && spec[i] == '0';
            var start = i;
            while (i < spec.Length && char.IsAsciiDigit(spec[i]))
            {
                i++;
            }

            var width = i > start ? Operations.AsSize(new IntValue(long.Parse(spec.AsSpan(start, i - start), CultureInfo.InvariantCulture)), "format width") : 0;
            var grouping = i < spec.Length && spec[i] is ',' or '_';
            i += grouping ? 1 : 0;
            int? precision = null;
            if (i < spec.Length && spec[i] == '.')
            {
                start = ++i;
                while (i < spec.Length && char.IsAsciiDigit(spec[i]))
                {
                    i++;
                }

                precision = Operations.AsSize(new IntValue(long.Parse(spec.AsSpan(start, i - start), CultureInfo.InvariantCulture)), "format precision");
            }

            var type = i < spec.Length ? spec[i++] : '\0';
            if (i != spec.Length)
            {
                throw new TemplateRenderException($"Invalid format specifier '{spec}'");
            }

            return new FormatSpec(fill, align, sign, alternate, zero, width, grouping, precision, type) { AlignGiven = alignGiven };
        }
    }
}
