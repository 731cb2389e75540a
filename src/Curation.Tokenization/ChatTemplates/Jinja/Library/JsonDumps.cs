using System.Globalization;
using System.Text;
using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

/// <summary>
/// Python's <c>json.dumps</c>, which Hugging Face's <c>tojson</c> filter calls (with <c>ensure_ascii=False</c> by
/// default, unlike Jinja's own): <c>", "</c> and <c>": "</c> separators, or <c>","</c> and newlines with an indent.
/// </summary>
internal sealed class JsonDumps
{
    private readonly StringBuilder _text = new();
    private readonly bool _ensureAscii;
    private readonly string? _indent;
    private readonly string _itemSeparator;
    private readonly string _keySeparator;
    private readonly bool _sortKeys;
    private readonly int _maxLength;

    private JsonDumps(bool ensureAscii, string? indent, string itemSeparator, string keySeparator, bool sortKeys, int maxLength)
    {
        _ensureAscii = ensureAscii;
        _indent = indent;
        _itemSeparator = itemSeparator;
        _keySeparator = keySeparator;
        _sortKeys = sortKeys;
        _maxLength = maxLength;
    }

    /// <exception cref="TemplateRenderException">A value JSON cannot hold (undefined, a namespace, a function).</exception>
    public static string Serialize(Value value, bool ensureAscii, Value indent, Value separators, bool sortKeys, int maxLength)
    {
        string? indentText = indent switch
        {
            NoneValue => null,
            StringValue text => text.Value,
            _ when Operations.IsInteger(indent) => new string(' ', Math.Max(0, Operations.AsSize(indent, "tojson indent"))),
            _ => throw new TemplateRenderException($"tojson indent must be an integer or a string, not {indent.TypeName}"),
        };
        var (item, key) = separators switch
        {
            NoneValue => (indentText is null ? ", " : ",", ": "),
            ListValue { Items: [StringValue itemSeparator, StringValue keySeparator] } => (itemSeparator.Value, keySeparator.Value),
            _ => throw new TemplateRenderException("tojson separators must be a pair of strings"),
        };
        var dumps = new JsonDumps(ensureAscii, indentText, item, key, sortKeys, maxLength);
        dumps.Write(value, 0);
        return dumps._text.ToString();
    }

    private void Write(Value value, int depth)
    {
        if (_text.Length > _maxLength)
        {
            throw new TemplateLimitException($"tojson output is over the output limit of {_maxLength} characters");
        }

        if (depth > 200)
        {
            throw new TemplateRenderException("tojson: value nested too deeply");
        }

        switch (value)
        {
            case NoneValue:
                _text.Append("null");
                break;
            case BoolValue boolean:
                _text.Append(boolean.Value ? "true" : "false");
                break;
            case IntValue integer:
                _text.Append(integer.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case FloatValue real:
                _text.Append(FloatText(real.Value));
                break;
            case StringValue text:
                WriteString(text.Value);
                break;
            case ListValue list:
                WriteContainer('[', ']', list.Items.Count, list.Items.Select<Value, Action>(item => () => Write(item, depth + 1)), depth);
                break;
            case DictValue dict:
                var entries = dict.Entries.ToList();
                if (_sortKeys)
                {
                    entries.Sort((a, b) => Operations.Compare(a.Key, b.Key, "<"));
                }

                WriteContainer('{', '}', entries.Count, entries.Select<KeyValuePair<Value, Value>, Action>(entry => () =>
                {
                    WriteString(KeyText(entry.Key));
                    _text.Append(_keySeparator);
                    Write(entry.Value, depth + 1);
                }), depth);
                break;
            default:
                throw new TemplateRenderException($"Object of type {value.TypeName} is not JSON serializable");
        }
    }

    private void WriteContainer(char open, char close, int count, IEnumerable<Action> items, int depth)
    {
        _text.Append(open);
        if (count == 0)
        {
            _text.Append(close);
            return;
        }

        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                _text.Append(_itemSeparator);
            }

            if (_indent is not null)
            {
                _text.Append('\n').Insert(_text.Length, _indent, depth + 1);
            }

            item();
            first = false;
        }

        if (_indent is not null)
        {
            _text.Append('\n').Insert(_text.Length, _indent, depth);
        }

        _text.Append(close);
    }

    private static string KeyText(Value key) => key switch
    {
        StringValue text => text.Value,
        BoolValue boolean => boolean.Value ? "true" : "false",
        NoneValue => "null",
        IntValue integer => integer.Value.ToString(CultureInfo.InvariantCulture),
        FloatValue real => FloatText(real.Value),
        _ => throw new TemplateRenderException($"keys must be str, int, float, bool or None, not {key.TypeName}"),
    };

    private static string FloatText(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" : double.IsNegativeInfinity(value) ? "-Infinity" : PythonText.FormatFloat(value);

    private void WriteString(string text)
    {
        _text.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    _text.Append("\\\"");
                    break;
                case '\\':
                    _text.Append("\\\\");
                    break;
                case '\n':
                    _text.Append("\\n");
                    break;
                case '\r':
                    _text.Append("\\r");
                    break;
                case '\t':
                    _text.Append("\\t");
                    break;
                case '\b':
                    _text.Append("\\b");
                    break;
                case '\f':
                    _text.Append("\\f");
                    break;
                default:
                    if (c < 0x20 || (_ensureAscii && c > 0x7e))
                    {
                        _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _text.Append(c);
                    }

                    break;
            }
        }

        _text.Append('"');
    }
}
