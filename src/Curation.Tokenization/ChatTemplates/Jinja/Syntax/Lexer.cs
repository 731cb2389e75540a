using System.Globalization;
using System.Text;
using Curation.Tokenization.ChatTemplates.Jinja.Library;

namespace Curation.Tokenization.ChatTemplates.Jinja.Syntax;

/// <summary>
/// Splits a template into tokens as Jinja's lexer does in the environment Hugging Face renders chat templates with:
/// <c>trim_blocks</c> (the newline after a block or comment tag is dropped), <c>lstrip_blocks</c> (spaces and tabs
/// before a block or comment tag on its line are dropped), <c>-</c> and <c>+</c> whitespace control, line endings
/// normalised to <c>\n</c> and one trailing newline removed.
/// </summary>
internal sealed class Lexer
{
    // Longest first, as Jinja matches them.
    private static readonly string[] Operators =
    [
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";",
    ];

    private readonly string _source;
    private readonly List<Token> _tokens = [];
    private readonly int[] _lineStarts;
    private int _position;

    // Whether the last tag consumed a newline (or nothing has been read yet): lstrip_blocks then also strips
    // whitespace that is not preceded by a newline in the text before the next tag.
    private bool _lineStarting = true;

    private Lexer(string source)
    {
        _source = NormalizeNewlines(source);
        var starts = new List<int> { 0 };
        for (var i = 0; i < _source.Length; i++)
        {
            if (_source[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    /// <exception cref="TemplateSyntaxException">An unterminated tag, comment or string, or a character no token starts with.</exception>
    public static IReadOnlyList<Token> Tokenize(string source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        return lexer._tokens;
    }

    private static string NormalizeNewlines(string source)
    {
        var normalized = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return normalized.EndsWith('\n') ? normalized[..^1] : normalized;
    }

    private SourcePosition PositionOf(int offset)
    {
        var line = Array.BinarySearch(_lineStarts, offset);
        line = line >= 0 ? line : ~line - 1;
        return new SourcePosition(line + 1, offset - _lineStarts[line] + 1);
    }

    private void Run()
    {
        while (_position < _source.Length)
        {
            var tagStart = NextTagStart(_position);
            if (tagStart < 0)
            {
                AddData(_position, _source[_position..]);
                break;
            }

            var kind = _source[tagStart + 1];
            var sign = tagStart + 2 < _source.Length && _source[tagStart + 2] is '-' or '+' ? _source[tagStart + 2] : '\0';
            var text = _source[_position..tagStart];
            if (sign == '-')
            {
                text = PythonText.TrimEnd(text);
            }
            else if (sign != '+' && kind != '{')
            {
                text = LeftStripped(text);
            }

            AddData(_position, text);
            var rawEnd = kind == '%' ? MatchRawBegin(tagStart) : -1;
            if (rawEnd >= 0)
            {
                ReadRaw(rawEnd);
            }
            else if (kind == '#')
            {
                SkipComment(tagStart);
            }
            else
            {
                ReadTag(tagStart, kind == '{', sign == '\0' ? 2 : 3);
            }
        }

        _tokens.Add(new Token(TokenKind.End, string.Empty, PositionOf(_source.Length)));
    }

    private int NextTagStart(int from)
    {
        for (var i = _source.IndexOf('{', from); i >= 0 && i + 1 < _source.Length; i = _source.IndexOf('{', i + 1))
        {
            if (_source[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>lstrip_blocks: drop the spaces and tabs between the last line start and a block or comment tag.</summary>
    private string LeftStripped(string text)
    {
        var lineStart = text.LastIndexOf('\n') + 1;
        if (lineStart == 0 && !_lineStarting)
        {
            return text;
        }

        if (lineStart == text.Length)
        {
            return text;
        }

        for (var i = lineStart; i < text.Length; i++)
        {
            if (!PythonText.IsWhitespace(text[i]))
            {
                return text;
            }
        }

        return text[..lineStart];
    }

    private void AddData(int offset, string text)
    {
        if (text.Length > 0)
        {
            _tokens.Add(new Token(TokenKind.Data, text, PositionOf(offset)));
        }
    }

    /// <summary>The end of a <c>{% raw %}</c> tag starting at <paramref name="tagStart"/>, or -1 when the tag is another.</summary>
    private int MatchRawBegin(int tagStart)
    {
        var i = tagStart + 2;
        if (i < _source.Length && _source[i] is '-' or '+')
        {
            i++;
        }

        i = SkipWhitespace(i);
        if (!At(i, "raw"))
        {
            return -1;
        }

        i = SkipWhitespace(i + 3);
        if (At(i, "-%}"))
        {
            return SkipWhitespace(i + 3);
        }

        return At(i, "%}") ? i + 2 : -1;
    }

    private int SkipWhitespace(int i)
    {
        while (i < _source.Length && PythonText.IsWhitespace(_source[i]))
        {
            i++;
        }

        return i;
    }

    private void ReadRaw(int contentStart)
    {
        for (var tag = _source.IndexOf("{%", contentStart, StringComparison.Ordinal); tag >= 0; tag = _source.IndexOf("{%", tag + 1, StringComparison.Ordinal))
        {
            var i = tag + 2;
            var sign = i < _source.Length && _source[i] is '-' or '+' ? _source[i] : '\0';
            i = SkipWhitespace(sign == '\0' ? i : i + 1);
            if (!At(i, "endraw"))
            {
                continue;
            }

            var end = MatchBlockEnd(SkipWhitespace(i + 6));
            if (end < 0)
            {
                continue;
            }

            var text = _source[contentStart..tag];
            text = sign == '-' ? PythonText.TrimEnd(text) : sign == '+' ? text : LeftStripped(text);
            AddData(contentStart, text);
            _lineStarting = _source[end - 1] == '\n';
            _position = end;
            return;
        }

        throw new TemplateSyntaxException("missing {% endraw %} for this {% raw %}", PositionOf(contentStart));
    }

    /// <summary>The end of a block tag's closing <c>%}</c> at <paramref name="i"/> with its whitespace control applied, or -1.</summary>
    private int MatchBlockEnd(int i) => MatchTagEnd(i, '%');

    /// <summary>
    /// Where the text after a closing tag at <paramref name="i"/> starts (<paramref name="closing"/> is '%' for a block,
    /// '#' for a comment, '}' for a variable), or -1 when none closes there: <c>-</c> swallows all whitespace after,
    /// <c>+</c> none, and otherwise trim_blocks drops one newline after a block or comment.
    /// </summary>
    private int MatchTagEnd(int i, char closing)
    {
        var marker = closing == '}' ? "}}" : closing + "}";
        if (At(i, "-" + marker))
        {
            return SkipWhitespace(i + 3);
        }

        if (closing != '}' && At(i, "+" + marker))
        {
            return i + 3;
        }

        if (!At(i, marker))
        {
            return -1;
        }

        return closing != '}' && At(i + 2, "\n") ? i + 3 : i + 2;
    }

    private bool At(int i, string text) => i <= _source.Length && _source.AsSpan(i).StartsWith(text, StringComparison.Ordinal);

    private void SkipComment(int tagStart)
    {
        for (var i = tagStart + 2; i < _source.Length; i++)
        {
            var end = MatchTagEnd(i, '#');
            if (end >= 0)
            {
                _lineStarting = _source[end - 1] == '\n';
                _position = end;
                return;
            }
        }

        throw new TemplateSyntaxException("missing end of comment tag '#}'", PositionOf(tagStart));
    }

    private void ReadTag(int tagStart, bool variable, int openerLength)
    {
        _tokens.Add(new Token(variable ? TokenKind.VariableBegin : TokenKind.BlockBegin, variable ? "{{" : "{%", PositionOf(tagStart)));
        var closing = variable ? '}' : '%';
        var brackets = new Stack<char>();
        var i = tagStart + openerLength;
        while (true)
        {
            if (i >= _source.Length)
            {
                throw new TemplateSyntaxException($"unexpected end of template, expected '{(variable ? "}}" : "%}")}'", PositionOf(tagStart));
            }

            if (brackets.Count == 0)
            {
                var end = MatchTagEnd(i, closing);
                if (end >= 0)
                {
                    _tokens.Add(new Token(variable ? TokenKind.VariableEnd : TokenKind.BlockEnd, variable ? "}}" : "%}", PositionOf(i)));
                    _lineStarting = _source[end - 1] == '\n';
                    _position = end;
                    return;
                }
            }

            var c = _source[i];
            if (PythonText.IsWhitespace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                i = ReadNumber(i);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < _source.Length && (char.IsLetterOrDigit(_source[i]) || _source[i] == '_'))
                {
                    i++;
                }

                _tokens.Add(new Token(TokenKind.Name, _source[start..i], PositionOf(start)));
            }
            else if (c is '\'' or '"')
            {
                i = ReadString(i);
            }
            else
            {
                i = ReadOperator(i, brackets);
            }
        }
    }

    private int ReadOperator(int i, Stack<char> brackets)
    {
        var op = Operators.FirstOrDefault(candidate => At(i, candidate))
            ?? throw new TemplateSyntaxException($"unexpected character '{_source[i]}'", PositionOf(i));
        switch (op)
        {
            case "(":
                brackets.Push(')');
                break;
            case "[":
                brackets.Push(']');
                break;
            case "{":
                brackets.Push('}');
                break;
            case ")" or "]" or "}":
                if (brackets.Count == 0)
                {
                    throw new TemplateSyntaxException($"unexpected '{op}'", PositionOf(i));
                }

                var expected = brackets.Pop();
                if (expected != op[0])
                {
                    throw new TemplateSyntaxException($"unexpected '{op}', expected '{expected}'", PositionOf(i));
                }

                break;
        }

        _tokens.Add(new Token(TokenKind.Operator, op, PositionOf(i)));
        return i + op.Length;
    }

    private int ReadNumber(int start)
    {
        var i = start;
        if (_source[i] == '0' && i + 1 < _source.Length && char.ToLowerInvariant(_source[i + 1]) is 'x' or 'o' or 'b')
        {
            var radix = char.ToLowerInvariant(_source[i + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            i += 2;
            var digitsStart = i;
            while (i < _source.Length && (Uri.IsHexDigit(_source[i]) || _source[i] == '_'))
            {
                i++;
            }

            var digits = _source[digitsStart..i].Replace("_", string.Empty, StringComparison.Ordinal);
            try
            {
                var value = Convert.ToInt64(digits, radix);
                _tokens.Add(new Token(TokenKind.Integer, _source[start..i], PositionOf(start)) { Integer = value });
                return i;
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
            {
                throw new TemplateSyntaxException($"invalid number '{_source[start..i]}'", PositionOf(start));
            }
        }

        i = Digits(i);
        var isFloat = false;
        if (i + 1 < _source.Length && _source[i] == '.' && char.IsAsciiDigit(_source[i + 1]))
        {
            i = Digits(i + 1);
            isFloat = true;
        }

        if (i < _source.Length && _source[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < _source.Length && _source[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < _source.Length && char.IsAsciiDigit(_source[exponent]))
            {
                i = Digits(exponent);
                isFloat = true;
            }
        }

        var text = _source[start..i];
        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (isFloat)
        {
            _tokens.Add(new Token(TokenKind.Float, text, PositionOf(start)) { Float = double.Parse(plain, NumberStyles.Float, CultureInfo.InvariantCulture) });
        }
        else if (long.TryParse(plain, NumberStyles.None, CultureInfo.InvariantCulture, out var integer))
        {
            _tokens.Add(new Token(TokenKind.Integer, text, PositionOf(start)) { Integer = integer });
        }
        else
        {
            throw new TemplateSyntaxException($"integer '{text}' is too large", PositionOf(start));
        }

        return i;
    }

    private int Digits(int i)
    {
        while (i < _source.Length && (char.IsAsciiDigit(_source[i]) || (_source[i] == '_' && i + 1 < _source.Length && char.IsAsciiDigit(_source[i + 1]))))
        {
            i++;
        }

        return i;
    }

    /// <summary>A quoted string, unescaped as Python's <c>unicode-escape</c> codec does (unknown escapes stay as written).</summary>
    private int ReadString(int start)
    {
        var quote = _source[start];
        var value = new StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (i >= _source.Length)
            {
                throw new TemplateSyntaxException("unterminated string", PositionOf(start));
            }

            var c = _source[i];
            if (c == quote)
            {
                _tokens.Add(new Token(TokenKind.String, value.ToString(), PositionOf(start)));
                return i + 1;
            }

            if (c != '\\')
            {
                value.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= _source.Length)
            {
                throw new TemplateSyntaxException("unterminated string", PositionOf(start));
            }

            i = Unescape(i, value);
        }
    }

    private int Unescape(int backslash, StringBuilder value)
    {
        var next = _source[backslash + 1];
        switch (next)
        {
            case '\n':
                return backslash + 2;
            case '\\' or '\'' or '"':
                value.Append(next);
                return backslash + 2;
            case 'a':
                value.Append('\a');
                return backslash + 2;
            case 'b':
                value.Append('\b');
                return backslash + 2;
            case 'f':
                value.Append('\f');
                return backslash + 2;
            case 'n':
                value.Append('\n');
                return backslash + 2;
            case 'r':
                value.Append('\r');
                return backslash + 2;
            case 't':
                value.Append('\t');
                return backslash + 2;
            case 'v':
                value.Append('\v');
                return backslash + 2;
            case 'x':
                return AppendCodePoint(backslash, 2, value);
            case 'u':
                return AppendCodePoint(backslash, 4, value);
            case 'U':
                return AppendCodePoint(backslash, 8, value);
            case >= '0' and <= '7':
                var end = backslash + 1;
                var code = 0;
                while (end < _source.Length && end < backslash + 4 && _source[end] is >= '0' and <= '7')
                {
                    code = (code * 8) + (_source[end] - '0');
                    end++;
                }

                value.Append((char)code);
                return end;
            default:
                value.Append('\\').Append(next);
                return backslash + 2;
        }
    }

    private int AppendCodePoint(int backslash, int digits, StringBuilder value)
    {
        var start = backslash + 2;
        if (start + digits > _source.Length
            || !int.TryParse(_source.AsSpan(start, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code > 0x10FFFF)
        {
            throw new TemplateSyntaxException($"truncated or invalid \\{_source[backslash + 1]} escape in a string", PositionOf(backslash));
        }

        value.Append(code <= 0xFFFF ? ((char)code).ToString() : char.ConvertFromUtf32(code));
        return start + digits;
    }
}
