using System.Globalization;
using System.Text;

namespace Curation.DataGen.Text;

/// <summary>
/// A small hand-rolled JSON writer: the sample needs control over escaping and whitespace (and the ability to write
/// deliberately wrong documents), which System.Text.Json does not give.
/// </summary>
internal sealed class JsonBuilder
{
    private readonly StringBuilder _text;
    private readonly JsonStyle _style;
    private readonly Stack<bool> _hasItems = new();
    private bool _afterName;

    public JsonBuilder(JsonStyle style, StringBuilder? reuse = null)
    {
        _style = style;
        _text = reuse ?? new StringBuilder(1024);
        _text.Clear();
    }

    public JsonBuilder BeginObject()
    {
        BeforeValue();
        _text.Append('{');
        _hasItems.Push(false);
        return this;
    }

    public JsonBuilder EndObject() => Close('}');

    public JsonBuilder BeginArray()
    {
        BeforeValue();
        _text.Append('[');
        _hasItems.Push(false);
        return this;
    }

    public JsonBuilder EndArray() => Close(']');

    public JsonBuilder Name(string name)
    {
        BeforeValue();
        AppendString(name);
        _text.Append(_style.Layout == JsonLayout.Compact ? ":" : ": ");
        _afterName = true;
        return this;
    }

    public JsonBuilder String(string? value)
    {
        if (value is null)
        {
            return Raw("null");
        }

        BeforeValue();
        AppendString(value);
        return this;
    }

    public JsonBuilder Number(long value) => Raw(value.ToString(CultureInfo.InvariantCulture));

    public JsonBuilder Raw(string json)
    {
        BeforeValue();
        _text.Append(json);
        return this;
    }

    public JsonBuilder Property(string name, string? value) => Name(name).String(value);

    public JsonBuilder Property(string name, long value) => Name(name).Number(value);

    public override string ToString() => _text.ToString();

    private JsonBuilder Close(char bracket)
    {
        var hadItems = _hasItems.Pop();
        if (hadItems && _style.Layout == JsonLayout.Indented)
        {
            NewLine();
        }

        _text.Append(bracket);
        return this;
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_hasItems.Count == 0)
        {
            return;
        }

        if (_hasItems.Peek())
        {
            _text.Append(_style.Layout == JsonLayout.Compact ? "," : _style.Layout == JsonLayout.Spaced ? ", " : ",");
        }
        else
        {
            _hasItems.Pop();
            _hasItems.Push(true);
        }

        if (_style.Layout == JsonLayout.Indented)
        {
            NewLine();
        }
    }

    private void NewLine()
    {
        _text.Append('\n');
        _text.Append(' ', 2 * _hasItems.Count);
    }

    private void AppendString(string value)
    {
        _text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                default:
                    if (c < 0x20 || (_style.AsciiOnly && c > 0x7E))
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
