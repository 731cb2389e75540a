using System.Text;
using Curation.Tokenization.ChatTemplates.Jinja.Library;

namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>Python's operators on template values: arithmetic, comparison, membership, length and iteration.</summary>
internal static class Operations
{
    public static bool IsNumber(Value value) => value is IntValue or FloatValue or BoolValue;

    public static bool IsInteger(Value value) => value is IntValue or BoolValue;

    public static long AsLong(Value value) => value switch
    {
        IntValue integer => integer.Value,
        BoolValue boolean => boolean.Value ? 1 : 0,
        _ => throw new TemplateRenderException($"'{value.TypeName}' object cannot be interpreted as an integer"),
    };

    /// <summary>A width or count argument: at most <see cref="RenderLimits.DefaultMaxOutputLength"/>, so that it cannot ask for more memory than an output may hold.</summary>
    /// <exception cref="TemplateLimitException">The value is larger.</exception>
    public static int AsSize(Value value, string what)
    {
        var size = AsLong(value);
        return size > RenderLimits.DefaultMaxOutputLength
            ? throw new TemplateLimitException($"{what} of {size} is over the limit of {RenderLimits.DefaultMaxOutputLength}")
            : (int)Math.Max(size, int.MinValue);
    }

    public static double AsDouble(Value value) => value switch
    {
        IntValue integer => integer.Value,
        BoolValue boolean => boolean.Value ? 1 : 0,
        FloatValue real => real.Value,
        _ => throw new TemplateRenderException($"must be real number, not {value.TypeName}"),
    };

    /// <summary>Python's <c>==</c>.</summary>
    public static bool AreEqual(Value left, Value right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (IsNumber(left) && IsNumber(right))
        {
            return IsInteger(left) && IsInteger(right) ? AsLong(left) == AsLong(right) : AsDouble(left) == AsDouble(right);
        }

        return (left, right) switch
        {
            (StringValue a, StringValue b) => string.Equals(a.Value, b.Value, StringComparison.Ordinal),
            (NoneValue, NoneValue) => true,
            (UndefinedValue, UndefinedValue) => true,
            (ListValue a, ListValue b) => a.IsTuple == b.IsTuple && a.Items.Count == b.Items.Count && a.Items.Zip(b.Items).All(pair => AreEqual(pair.First, pair.Second)),
            (DictValue a, DictValue b) => a.Count == b.Count && a.Entries.All(entry => b.TryGet(entry.Key, out var other) && AreEqual(entry.Value, other)),
            _ => false,
        };
    }

    /// <summary>Python's ordering (<c>&lt;</c> and friends): negative, zero or positive.</summary>
    /// <exception cref="TemplateRenderException">The values cannot be ordered (a string and a number, an undefined value).</exception>
    public static int Compare(Value left, Value right, string op)
    {
        if (left is UndefinedValue undefinedLeft)
        {
            throw undefinedLeft.Fail();
        }

        if (right is UndefinedValue undefinedRight)
        {
            throw undefinedRight.Fail();
        }

        if (IsNumber(left) && IsNumber(right))
        {
            return IsInteger(left) && IsInteger(right) ? AsLong(left).CompareTo(AsLong(right)) : AsDouble(left).CompareTo(AsDouble(right));
        }

        switch (left, right)
        {
            case (StringValue a, StringValue b):
                return CompareCodePoints(a.Value, b.Value);
            case (ListValue a, ListValue b) when a.IsTuple == b.IsTuple:
                for (var i = 0; i < Math.Min(a.Items.Count, b.Items.Count); i++)
                {
                    if (!AreEqual(a.Items[i], b.Items[i]))
                    {
                        return Compare(a.Items[i], b.Items[i], op);
                    }
                }

                return a.Items.Count.CompareTo(b.Items.Count);
            default:
                throw new TemplateRenderException($"'{op}' not supported between instances of '{left.TypeName}' and '{right.TypeName}'");
        }
    }

    /// <summary>Ordinal order by code point, as Python orders strings (UTF-16 order differs above the surrogates).</summary>
    public static int CompareCodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return Fixup(a[i]).CompareTo(Fixup(b[i]));
            }
        }

        return a.Length.CompareTo(b.Length);

        static int Fixup(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    /// <summary>Python's <c>item in container</c>.</summary>
    public static bool Contains(Value container, Value item) => container switch
    {
        StringValue text when item is StringValue part => text.Value.Contains(part.Value, StringComparison.Ordinal),
        StringValue => throw new TemplateRenderException($"'in <string>' requires string as left operand, not {item.TypeName}"),
        ListValue list => list.Items.Any(element => AreEqual(element, item)),
        DictValue dict => dict.TryGet(item, out _),
        UndefinedValue => false,
        _ => throw new TemplateRenderException($"argument of type '{container.TypeName}' is not iterable"),
    };

    /// <summary>Python's <c>len()</c>; an undefined value has length 0.</summary>
    public static int Length(Value value) => value switch
    {
        StringValue text => PythonText.Length(text.Value),
        ListValue list => list.Items.Count,
        DictValue dict => dict.Count,
        UndefinedValue => 0,
        _ => throw new TemplateRenderException($"object of type '{value.TypeName}' has no len()"),
    };

    /// <summary>What a for loop walks: a list's items, a dict's keys, a string's characters; nothing for an undefined value.</summary>
    public static IReadOnlyList<Value> Iterate(Value value) => value switch
    {
        ListValue list => list.Items,
        DictValue dict => [.. dict.Keys],
        StringValue text => [.. PythonText.CodePoints(text.Value).Select(c => new StringValue(c))],
        UndefinedValue => [],
        _ => throw new TemplateRenderException($"'{value.TypeName}' object is not iterable"),
    };

    public static Value Not(Value value) => BoolValue.Of(!value.IsTruthy);

    public static Value Negate(Value value) => value switch
    {
        IntValue or BoolValue => new IntValue(checked(-AsLong(value))),
        FloatValue real => new FloatValue(-real.Value),
        UndefinedValue undefined => throw undefined.Fail(),
        _ => throw new TemplateRenderException($"bad operand type for unary -: '{value.TypeName}'"),
    };

    public static Value Plus(Value value) => value switch
    {
        IntValue or BoolValue => new IntValue(AsLong(value)),
        FloatValue => value,
        UndefinedValue undefined => throw undefined.Fail(),
        _ => throw new TemplateRenderException($"bad operand type for unary +: '{value.TypeName}'"),
    };

    public static Value Add(Value left, Value right, int maxLength)
    {
        FailIfUndefined(left, right);
        if (IsNumber(left) && IsNumber(right))
        {
            return IsInteger(left) && IsInteger(right) ? new IntValue(checked(AsLong(left) + AsLong(right))) : new FloatValue(AsDouble(left) + AsDouble(right));
        }

        switch (left, right)
        {
            case (StringValue a, StringValue b):
                CheckLength((long)a.Value.Length + b.Value.Length, maxLength);

                // Markup + str escapes the str (and str + Markup likewise), as MarkupSafe does.
                return a.IsMarkup || b.IsMarkup
                    ? new StringValue((a.IsMarkup ? a.Value : Html.Escape(a.Value)) + (b.IsMarkup ? b.Value : Html.Escape(b.Value)), isMarkup: true)
                    : new StringValue(a.Value + b.Value);
            case (ListValue a, ListValue b) when a.IsTuple == b.IsTuple:
                CheckLength((long)a.Items.Count + b.Items.Count, maxLength);
                return new ListValue([.. a.Items, .. b.Items], a.IsTuple);
            default:
                throw Unsupported("+", left, right);
        }
    }

    public static Value Subtract(Value left, Value right) => Arithmetic("-", left, right, (a, b) => checked(a - b), (a, b) => a - b);

    public static Value Multiply(Value left, Value right, int maxLength)
    {
        FailIfUndefined(left, right);
        if (IsNumber(left) && IsNumber(right))
        {
            return IsInteger(left) && IsInteger(right) ? new IntValue(checked(AsLong(left) * AsLong(right))) : new FloatValue(AsDouble(left) * AsDouble(right));
        }

        var (sequence, count) = IsInteger(right) ? (left, AsLong(right)) : IsInteger(left) ? (right, AsLong(left)) : (null, 0L);
        switch (sequence)
        {
            case StringValue text:
                count = Math.Max(0, count);
                CheckLength(text.Value.Length * count, maxLength);
                return new StringValue(new StringBuilder(text.Value.Length * (int)count).Insert(0, text.Value, (int)count).ToString(), text.IsMarkup);
            case ListValue list:
                count = Math.Max(0, count);
                CheckLength(list.Items.Count * count, maxLength);
                var items = new List<Value>(list.Items.Count * (int)count);
                for (var i = 0; i < count; i++)
                {
                    items.AddRange(list.Items);
                }

                return new ListValue(items, list.IsTuple);
            default:
                throw Unsupported("*", left, right);
        }
    }

    public static Value Divide(Value left, Value right)
    {
        FailIfUndefined(left, right);
        if (!IsNumber(left) || !IsNumber(right))
        {
            throw Unsupported("/", left, right);
        }

        var divisor = AsDouble(right);
        return divisor == 0 ? throw new TemplateRenderException("division by zero") : new FloatValue(AsDouble(left) / divisor);
    }

    public static Value FloorDivide(Value left, Value right) => Arithmetic(
        "//",
        left,
        right,
        (a, b) => b == 0 ? throw new TemplateRenderException("integer division or modulo by zero") : FloorDiv(a, b),
        (a, b) => b == 0 ? throw new TemplateRenderException("float floor division by zero") : Math.Floor(a / b));

    public static Value Modulo(Value left, Value right)
    {
        if (left is StringValue format)
        {
            return new StringValue(PythonFormatting.Percent(format.Value, right));
        }

        return Arithmetic(
            "%",
            left,
            right,
            (a, b) => b == 0 ? throw new TemplateRenderException("integer division or modulo by zero") : a - (FloorDiv(a, b) * b),
            (a, b) =>
            {
                if (b == 0)
                {
                    throw new TemplateRenderException("float modulo");
                }

                var remainder = a % b;
                return remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder;
            });
    }

    public static Value Power(Value left, Value right)
    {
        FailIfUndefined(left, right);
        if (IsInteger(left) && IsInteger(right) && AsLong(right) >= 0)
        {
            // By squaring: a huge exponent of 0, 1 or -1 must not loop, and any other overflows within 64 steps.
            long result = 1;
            var factor = AsLong(left);
            for (var exponent = AsLong(right); exponent > 0; exponent >>= 1)
            {
                if ((exponent & 1) == 1)
                {
                    result = checked(result * factor);
                }

                if (exponent > 1)
                {
                    factor = Math.Abs(factor) <= 1 ? factor * factor : checked(factor * factor);
                }
            }

            return new IntValue(result);
        }

        if (!IsNumber(left) || !IsNumber(right))
        {
            throw Unsupported("** or pow()", left, right);
        }

        if (AsDouble(left) == 0 && AsDouble(right) < 0)
        {
            throw new TemplateRenderException("0.0 cannot be raised to a negative power");
        }

        return new FloatValue(Math.Pow(AsDouble(left), AsDouble(right)));
    }

    /// <summary>Jinja's <c>~</c>: both sides as text.</summary>
    public static Value Concat(Value left, Value right, int maxLength)
    {
        var a = left.ToText();
        var b = right.ToText();
        CheckLength((long)a.Length + b.Length, maxLength);
        return new StringValue(a + b);
    }

    /// <exception cref="TemplateLimitException">A string or list longer than the output limit would be made.</exception>
    public static void CheckLength(long length, int maxLength)
    {
        if (length > maxLength)
        {
            throw new TemplateLimitException($"a value of {length} characters or items is over the output limit of {maxLength}");
        }
    }

    private static long FloorDiv(long a, long b)
    {
        var quotient = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? quotient - 1 : quotient;
    }

    private static Value Arithmetic(string op, Value left, Value right, Func<long, long, long> integers, Func<double, double, double> reals)
    {
        FailIfUndefined(left, right);
        if (!IsNumber(left) || !IsNumber(right))
        {
            throw Unsupported(op, left, right);
        }

        return IsInteger(left) && IsInteger(right)
            ? new IntValue(integers(AsLong(left), AsLong(right)))
            : new FloatValue(reals(AsDouble(left), AsDouble(right)));
    }

    private static void FailIfUndefined(Value left, Value right)
    {
        if (left is UndefinedValue a)
        {
            throw a.Fail();
        }

        if (right is UndefinedValue b)
        {
            throw b.Fail();
        }
    }

    private static TemplateRenderException Unsupported(string op, Value left, Value right) =>
        new($"unsupported operand type(s) for {op}: '{left.TypeName}' and '{right.TypeName}'");
}
