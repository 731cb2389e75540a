using System.Runtime.CompilerServices;
using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Syntax;

/// <summary>
/// Builds the statement tree of a template from its tokens, following Jinja's grammar and operator precedence
/// (<c>or</c>, <c>and</c>, <c>not</c>, comparisons, <c>+ -</c>, <c>~</c>, <c>* / // %</c>, <c>**</c>, unary minus,
/// then attribute, item, call, filter and test postfixes).
/// </summary>
internal sealed class Parser
{
    private static readonly HashSet<string> Refused = new(StringComparer.Ordinal) { "extends", "block", "include", "import", "from", "autoescape" };

    // Jinja's filters that chat templates have no use for (HTML, URLs, pretty-printing) or that would make renderings
    // differ run to run (random): refused when the template is read, rather than failing on some conversations.
    private static readonly HashSet<string> RefusedFilters = new(StringComparer.Ordinal)
    {
        "filesizeformat", "groupby", "pprint", "random", "striptags", "urlencode", "urlize", "wordwrap", "xmlattr",
    };

    private readonly IReadOnlyList<Token> _tokens;
    private int _index;

    private Parser(IReadOnlyList<Token> tokens)
    {
        _tokens = tokens;
    }

    private Token Current => _tokens[_index];

    /// <exception cref="TemplateSyntaxException">The template is not valid Jinja, or uses a tag chat templates are not rendered with.</exception>
    public static IReadOnlyList<Statement> Parse(string source)
    {
        var parser = new Parser(Lexer.Tokenize(source));
        try
        {
            return parser.ParseBody([]);
        }
        catch (InsufficientExecutionStackException)
        {
            throw Error("the template nests too deeply", parser.Current);
        }
    }

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Advance()
    {
        var token = _tokens[_index];
        if (token.Kind != TokenKind.End)
        {
            _index++;
        }

        return token;
    }

    private static TemplateSyntaxException Error(string message, Token token) => new(message, token.Position);

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Error($"expected {what}, got {Current.Describe()}", Current);
        }

        return Advance();
    }

    private Token ExpectOperator(string op)
    {
        if (!Current.IsOperator(op))
        {
            throw Error($"expected '{op}', got {Current.Describe()}", Current);
        }

        return Advance();
    }

    private Token ExpectName(string name)
    {
        if (!Current.IsName(name))
        {
            throw Error($"expected '{name}', got {Current.Describe()}", Current);
        }

        return Advance();
    }

    private bool SkipOperator(string op)
    {
        if (Current.IsOperator(op))
        {
            Advance();
            return true;
        }

        return false;
    }

    private bool SkipName(string name)
    {
        if (Current.IsName(name))
        {
            Advance();
            return true;
        }

        return false;
    }

    /// <summary>Statements up to a block tag whose name is one of <paramref name="endTags"/>, left as the current token.</summary>
    private List<Statement> ParseBody(string[] endTags)
    {
        var body = new List<Statement>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.End:
                    if (endTags.Length > 0)
                    {
                        throw Error($"unexpected end of template, expected {string.Join(" or ", endTags.Select(t => $"'{{% {t} %}}'"))}", token);
                    }

                    return body;
                case TokenKind.Data:
                    body.Add(new TextStatement(token.Text, token.Position));
                    Advance();
                    break;
                case TokenKind.VariableBegin:
                    Advance();
                    body.Add(new OutputStatement(ParseTuple(withConditional: true), token.Position));
                    Expect(TokenKind.VariableEnd, "'}}'");
                    break;
                case TokenKind.BlockBegin:
                    Advance();
                    if (Current.Kind == TokenKind.Name && endTags.Contains(Current.Text, StringComparer.Ordinal))
                    {
                        return body;
                    }

                    body.Add(ParseStatement());
                    Expect(TokenKind.BlockEnd, "'%}'");
                    break;
                default:
                    throw Error($"unexpected {token.Describe()}", token);
            }
        }
    }

    /// <summary>The body of a block statement: its tag's closing <c>%}</c>, then statements up to one of <paramref name="endTags"/>.</summary>
    private List<Statement> ParseBlock(params string[] endTags)
    {
        Expect(TokenKind.BlockEnd, "'%}'");
        return ParseBody(endTags);
    }

    private Statement ParseStatement()
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var token = Current;
        if (token.Kind != TokenKind.Name)
        {
            throw Error($"expected a tag name, got {token.Describe()}", token);
        }

        switch (token.Text)
        {
            case "for":
                return ParseFor();
            case "if":
                return ParseIf();
            case "set":
                return ParseSet();
            case "macro":
                return ParseMacro();
            case "call":
                return ParseCallBlock();
            case "filter":
                return ParseFilterBlock();
            case "with":
                return ParseWith();
            case "print":
                Advance();
                return new OutputStatement(ParseTuple(withConditional: true), token.Position);
            case "generation":
                Advance();
                var generated = ParseBlock("endgeneration");
                Advance();
                return new GenerationStatement(generated, token.Position);
            case "break":
                Advance();
                return new BreakStatement(token.Position);
            case "continue":
                Advance();
                return new ContinueStatement(token.Position);
            case var refused when Refused.Contains(refused):
                throw Error($"'{{% {refused} %}}' is not supported: chat templates are rendered alone, without other templates or files", token);
            default:
                throw Error($"unknown tag '{token.Text}'", token);
        }
    }

    private ForStatement ParseFor()
    {
        var start = Advance();
        var target = ParseAssignTarget("in");
        ExpectName("in");
        var iterable = ParseTuple(withConditional: false, extraEnd: "recursive");
        Expression? filter = null;
        if (SkipName("if"))
        {
            filter = ParseExpression(withConditional: true);
        }

        if (Current.IsName("recursive"))
        {
            throw Error("recursive loops are not supported", Current);
        }

        var body = ParseBlock("endfor", "else");
        IReadOnlyList<Statement> otherwise = [];
        if (Advance().Text == "else")
        {
            otherwise = ParseBlock("endfor");
            Advance();
        }

        return new ForStatement(target, iterable, filter, body, otherwise, start.Position);
    }

    private IfStatement ParseIf()
    {
        var start = Advance();
        var branches = new List<(Expression, IReadOnlyList<Statement>)>();
        IReadOnlyList<Statement> otherwise = [];
        while (true)
        {
            var condition = ParseTuple(withConditional: false);
            branches.Add((condition, ParseBlock("elif", "else", "endif")));
            var tag = Advance();
            if (tag.Text == "elif")
            {
                continue;
            }

            if (tag.Text == "else")
            {
                otherwise = ParseBlock("endif");
                Advance();
            }

            return new IfStatement(branches, otherwise, start.Position);
        }
    }

    private Statement ParseSet()
    {
        var start = Advance();
        if (Current.Kind == TokenKind.Name && Peek().IsOperator("."))
        {
            var ns = Advance().Text;
            Advance();
            var attribute = Expect(TokenKind.Name, "an attribute name").Text;
            ExpectOperator("=");
            return new SetAttributeStatement(ns, attribute, ParseTuple(withConditional: true), start.Position);
        }

        var target = ParseAssignTarget();
        if (SkipOperator("="))
        {
            return new SetStatement(target, ParseTuple(withConditional: true), start.Position);
        }

        if (target.IsTuple)
        {
            throw Error("a block set assigns one name", start);
        }

        var filter = Current.IsOperator("|") ? ParseFilters(null, inline: false) : null;
        var body = ParseBlock("endset");
        Advance();
        return new BlockSetStatement(target.Names[0], filter, body, start.Position);
    }

    private MacroStatement ParseMacro()
    {
        var start = Advance();
        var name = Expect(TokenKind.Name, "a macro name").Text;
        var parameters = ParseSignature();
        var body = ParseBlock("endmacro");
        Advance();
        return new MacroStatement(name, parameters, body, start.Position);
    }

    private List<MacroParameter> ParseSignature()
    {
        ExpectOperator("(");
        var parameters = new List<MacroParameter>();
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
            {
                ExpectOperator(",");
            }

            var name = Expect(TokenKind.Name, "a parameter name");
            Expression? fallback = null;
            if (SkipOperator("="))
            {
                fallback = ParseExpression(withConditional: true);
            }
            else if (parameters.Count > 0 && parameters[^1].Default is not null)
            {
                throw Error("a parameter without a default follows one with a default", name);
            }

            parameters.Add(new MacroParameter(name.Text, fallback));
        }

        ExpectOperator(")");
        return parameters;
    }

    private CallBlockStatement ParseCallBlock()
    {
        var start = Advance();
        var parameters = Current.IsOperator("(") ? ParseSignature() : [];
        var call = ParseExpression(withConditional: true) as CallExpression ?? throw Error("expected a macro call after '{% call %}'", start);
        var body = ParseBlock("endcall");
        Advance();
        return new CallBlockStatement(call, parameters, body, start.Position);
    }

    private FilterBlockStatement ParseFilterBlock()
    {
        var start = Advance();
        var filter = ParseFilters(null, inline: true);
        var body = ParseBlock("endfilter");
        Advance();
        return new FilterBlockStatement(filter, body, start.Position);
    }

    private WithStatement ParseWith()
    {
        var start = Advance();
        var assignments = new List<(AssignTarget, Expression)>();
        while (Current.Kind != TokenKind.BlockEnd)
        {
            if (assignments.Count > 0)
            {
                ExpectOperator(",");
            }

            var target = ParseAssignTarget();
            ExpectOperator("=");
            assignments.Add((target, ParseExpression(withConditional: true)));
        }

        var body = ParseBlock("endwith");
        Advance();
        return new WithStatement(assignments, body, start.Position);
    }

    /// <summary>A name or a comma-separated tuple of names, optionally in parentheses.</summary>
    private AssignTarget ParseAssignTarget(string? endName = null)
    {
        var names = new List<string>();
        var isTuple = false;
        var parenthesized = SkipOperator("(");
        while (true)
        {
            if (names.Count > 0 && (Current.Kind is TokenKind.BlockEnd or TokenKind.VariableEnd || Current.IsOperator(")") || (endName is not null && Current.IsName(endName))))
            {
                break;
            }

            var name = Expect(TokenKind.Name, "a name to assign to");
            if (name.Text is "true" or "false" or "True" or "False" or "none" or "None")
            {
                throw Error($"cannot assign to '{name.Text}'", name);
            }

            names.Add(name.Text);
            if (!SkipOperator(","))
            {
                break;
            }

            isTuple = true;
        }

        if (parenthesized)
        {
            ExpectOperator(")");
        }

        return new AssignTarget(names, isTuple);
    }

    private Expression ParseTuple(bool withConditional, string? extraEnd = null, bool explicitParentheses = false)
    {
        var position = Current.Position;
        var items = new List<Expression>();
        var isTuple = false;
        while (true)
        {
            if (items.Count > 0)
            {
                ExpectOperator(",");
            }

            if (Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd || Current.IsOperator(")") || (extraEnd is not null && Current.IsName(extraEnd)))
            {
                break;
            }

            items.Add(ParseExpression(withConditional));
            if (Current.IsOperator(","))
            {
                isTuple = true;
            }
            else
            {
                break;
            }
        }

        if (!isTuple)
        {
            if (items.Count > 0)
            {
                return items[0];
            }

            if (!explicitParentheses)
            {
                throw Error($"expected an expression, got {Current.Describe()}", Current);
            }
        }

        return new ListExpression(items, IsTuple: true, position);
    }

    private Expression ParseExpression(bool withConditional) => withConditional ? ParseConditional() : ParseOr();

    private Expression ParseConditional()
    {
        var position = Current.Position;
        var expression = ParseOr();
        while (SkipName("if"))
        {
            var condition = ParseOr();
            var otherwise = SkipName("else") ? ParseConditional() : null;
            expression = new ConditionalExpression(condition, expression, otherwise, position);
            position = Current.Position;
        }

        return expression;
    }

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsName("or"))
        {
            var position = Advance().Position;
            left = new BinaryExpression(BinaryOperator.Or, left, ParseAnd(), position);
        }

        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsName("and"))
        {
            var position = Advance().Position;
            left = new BinaryExpression(BinaryOperator.And, left, ParseNot(), position);
        }

        return left;
    }

    private Expression ParseNot()
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (Current.IsName("not"))
        {
            var position = Advance().Position;
            return new UnaryExpression(UnaryOperator.Not, ParseNot(), position);
        }

        return ParseCompare();
    }

    private Expression ParseCompare()
    {
        var position = Current.Position;
        var first = ParseMath1();
        var rest = new List<(CompareOperator, Expression)>();
        while (true)
        {
            CompareOperator? op = Current.Kind == TokenKind.Operator ? Current.Text switch
            {
                "==" => CompareOperator.Equal,
                "!=" => CompareOperator.NotEqual,
                "<" => CompareOperator.Less,
                "<=" => CompareOperator.LessOrEqual,
                ">" => CompareOperator.Greater,
                ">=" => CompareOperator.GreaterOrEqual,
                _ => null,
            } : null;
            if (op is { } comparison)
            {
                Advance();
                rest.Add((comparison, ParseMath1()));
            }
            else if (SkipName("in"))
            {
                rest.Add((CompareOperator.In, ParseMath1()));
            }
            else if (Current.IsName("not") && Peek().IsName("in"))
            {
                Advance();
                Advance();
                rest.Add((CompareOperator.NotIn, ParseMath1()));
            }
            else
            {
                break;
            }
        }

        return rest.Count == 0 ? first : new CompareExpression(first, rest, position);
    }

    private Expression ParseMath1()
    {
        var left = ParseConcat();
        while (Current.IsOperator("+") || Current.IsOperator("-"))
        {
            var token = Advance();
            left = new BinaryExpression(token.Text == "+" ? BinaryOperator.Add : BinaryOperator.Subtract, left, ParseConcat(), token.Position);
        }

        return left;
    }

    private Expression ParseConcat()
    {
        var left = ParseMath2();
        while (Current.IsOperator("~"))
        {
            var position = Advance().Position;
            left = new BinaryExpression(BinaryOperator.Concat, left, ParseMath2(), position);
        }

        return left;
    }

    private Expression ParseMath2()
    {
        var left = ParsePower();
        while (Current.Kind == TokenKind.Operator && Current.Text is "*" or "/" or "//" or "%")
        {
            var token = Advance();
            var op = token.Text switch
            {
                "*" => BinaryOperator.Multiply,
                "/" => BinaryOperator.Divide,
                "//" => BinaryOperator.FloorDivide,
                _ => BinaryOperator.Modulo,
            };
            left = new BinaryExpression(op, left, ParsePower(), token.Position);
        }

        return left;
    }

    private Expression ParsePower()
    {
        var left = ParseUnary(withFilters: true);
        while (Current.IsOperator("**"))
        {
            var position = Advance().Position;
            left = new BinaryExpression(BinaryOperator.Power, left, ParseUnary(withFilters: true), position);
        }

        return left;
    }

    private Expression ParseUnary(bool withFilters)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        Expression node;
        if (Current.IsOperator("-"))
        {
            var position = Advance().Position;
            node = new UnaryExpression(UnaryOperator.Negate, ParseUnary(withFilters: false), position);
        }
        else if (Current.IsOperator("+"))
        {
            var position = Advance().Position;
            node = new UnaryExpression(UnaryOperator.Plus, ParseUnary(withFilters: false), position);
        }
        else
        {
            node = ParsePrimary();
        }

        node = ParsePostfix(node);
        return withFilters ? ParseFilterAndTests(node) : node;
    }

    private Expression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                Advance();
                return token.Text switch
                {
                    "true" or "True" => new LiteralExpression(BoolValue.True, token.Position),
                    "false" or "False" => new LiteralExpression(BoolValue.False, token.Position),
                    "none" or "None" => new LiteralExpression(NoneValue.Instance, token.Position),
                    _ => new NameExpression(token.Text, token.Position),
                };
            case TokenKind.String:
                Advance();
                var text = token.Text;
                while (Current.Kind == TokenKind.String)
                {
                    text += Advance().Text;
                }

                return new LiteralExpression(new StringValue(text), token.Position);
            case TokenKind.Integer:
                Advance();
                return new LiteralExpression(new IntValue(token.Integer), token.Position);
            case TokenKind.Float:
                Advance();
                return new LiteralExpression(new FloatValue(token.Float), token.Position);
            case TokenKind.Operator when token.Text == "(":
                Advance();
                var inner = ParseTuple(withConditional: true, explicitParentheses: true);
                ExpectOperator(")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                return ParseList();
            case TokenKind.Operator when token.Text == "{":
                return ParseDict();
            default:
                throw Error($"unexpected {token.Describe()}", token);
        }
    }

    private ListExpression ParseList()
    {
        var start = ExpectOperator("[");
        var items = new List<Expression>();
        while (!Current.IsOperator("]"))
        {
            if (items.Count > 0)
            {
                ExpectOperator(",");
            }

            if (Current.IsOperator("]"))
            {
                break;
            }

            items.Add(ParseExpression(withConditional: true));
        }

        ExpectOperator("]");
        return new ListExpression(items, IsTuple: false, start.Position);
    }

    private DictExpression ParseDict()
    {
        var start = ExpectOperator("{");
        var entries = new List<(Expression, Expression)>();
        while (!Current.IsOperator("}"))
        {
            if (entries.Count > 0)
            {
                ExpectOperator(",");
            }

            if (Current.IsOperator("}"))
            {
                break;
            }

            var key = ParseExpression(withConditional: true);
            ExpectOperator(":");
            entries.Add((key, ParseExpression(withConditional: true)));
        }

        ExpectOperator("}");
        return new DictExpression(entries, start.Position);
    }

    private Expression ParsePostfix(Expression node)
    {
        while (true)
        {
            if (Current.IsOperator(".") || Current.IsOperator("["))
            {
                node = ParseSubscript(node);
            }
            else if (Current.IsOperator("("))
            {
                node = new CallExpression(node, ParseCallArguments(), node.Position);
            }
            else
            {
                return node;
            }
        }
    }

    private Expression ParseFilterAndTests(Expression node)
    {
        while (true)
        {
            if (Current.IsOperator("|"))
            {
                node = ParseFilters(node, inline: false);
            }
            else if (Current.IsName("is"))
            {
                node = ParseTest(node);
            }
            else if (Current.IsOperator("("))
            {
                node = new CallExpression(node, ParseCallArguments(), node.Position);
            }
            else
            {
                return node;
            }
        }
    }

    private Expression ParseSubscript(Expression node)
    {
        var token = Advance();
        if (token.Text == ".")
        {
            var attribute = Advance();
            return attribute.Kind switch
            {
                TokenKind.Name => new AttributeExpression(node, attribute.Text, attribute.Position),
                TokenKind.Integer => new ItemExpression(node, new LiteralExpression(new IntValue(attribute.Integer), attribute.Position), attribute.Position),
                _ => throw Error($"expected a name or number after '.', got {attribute.Describe()}", attribute),
            };
        }

        var arguments = new List<Expression>();
        while (!Current.IsOperator("]"))
        {
            if (arguments.Count > 0)
            {
                ExpectOperator(",");
            }

            arguments.Add(ParseSubscribed(node));
        }

        ExpectOperator("]");
        return arguments.Count switch
        {
            0 => throw Error("expected an index or slice inside '[]'", token),
            1 when arguments[0] is SliceExpression slice => slice,
            1 => new ItemExpression(node, arguments[0], token.Position),
            _ => new ItemExpression(node, new ListExpression(arguments, IsTuple: true, token.Position), token.Position),
        };
    }

    private Expression ParseSubscribed(Expression target)
    {
        var position = Current.Position;
        Expression? start = null;
        if (!Current.IsOperator(":"))
        {
            start = ParseExpression(withConditional: true);
            if (!Current.IsOperator(":"))
            {
                return start;
            }
        }

        Advance();
        Expression? stop = null;
        Expression? step = null;
        if (!Current.IsOperator(":") && !Current.IsOperator("]") && !Current.IsOperator(","))
        {
            stop = ParseExpression(withConditional: true);
        }

        if (SkipOperator(":") && !Current.IsOperator("]") && !Current.IsOperator(","))
        {
            step = ParseExpression(withConditional: true);
        }

        return new SliceExpression(target, start, stop, step, position);
    }

    private CallArguments ParseCallArguments()
    {
        var open = ExpectOperator("(");
        var positional = new List<Expression>();
        var named = new List<(string, Expression)>();
        Expression? spread = null;
        Expression? spreadNamed = null;
        var requireComma = false;
        while (!Current.IsOperator(")"))
        {
            if (requireComma)
            {
                ExpectOperator(",");
                if (Current.IsOperator(")"))
                {
                    break;
                }
            }

            if (SkipOperator("*"))
            {
                Ensure(spread is null && spreadNamed is null);
                spread = ParseExpression(withConditional: true);
            }
            else if (SkipOperator("**"))
            {
                Ensure(spreadNamed is null);
                spreadNamed = ParseExpression(withConditional: true);
            }
            else if (Current.Kind == TokenKind.Name && Peek().IsOperator("="))
            {
                Ensure(spreadNamed is null);
                var key = Advance().Text;
                Advance();
                named.Add((key, ParseExpression(withConditional: true)));
            }
            else
            {
                Ensure(spread is null && spreadNamed is null && named.Count == 0);
                positional.Add(ParseExpression(withConditional: true));
            }

            requireComma = true;
        }

        ExpectOperator(")");
        return new CallArguments(positional, named, spread, spreadNamed);

        void Ensure(bool valid)
        {
            if (!valid)
            {
                throw Error("invalid argument order in a call: positional, then named, then *args and **kwargs", open);
            }
        }
    }

    private FilterExpression ParseFilters(Expression? node, bool inline)
    {
        FilterExpression? filter = null;
        while (inline || Current.IsOperator("|"))
        {
            if (!inline)
            {
                Advance();
            }

            var name = Expect(TokenKind.Name, "a filter name");
            var fullName = name.Text;
            while (SkipOperator("."))
            {
                fullName += "." + Expect(TokenKind.Name, "a filter name").Text;
            }

            if (RefusedFilters.Contains(fullName))
            {
                throw Error($"the '{fullName}' filter is not supported in chat templates", name);
            }

            var arguments = Current.IsOperator("(") ? ParseCallArguments() : CallArguments.None;
            filter = new FilterExpression(filter ?? node, fullName, arguments, name.Position);
            node = filter;
            inline = false;
        }

        return filter!;
    }

    private TestExpression ParseTest(Expression node)
    {
        var start = Advance();
        var negated = SkipName("not");
        var name = Expect(TokenKind.Name, "a test name").Text;
        while (SkipOperator("."))
        {
            name += "." + Expect(TokenKind.Name, "a test name").Text;
        }

        var arguments = CallArguments.None;
        if (Current.IsOperator("("))
        {
            arguments = ParseCallArguments();
        }
        else if ((Current.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                || Current.IsOperator("(") || Current.IsOperator("[") || Current.IsOperator("{"))
            && !Current.IsName("else") && !Current.IsName("or") && !Current.IsName("and"))
        {
            if (Current.IsName("is"))
            {
                throw Error("tests cannot be chained with 'is'", Current);
            }

            arguments = new CallArguments([ParsePostfix(ParsePrimary())], [], null, null);
        }

        return new TestExpression(node, name, arguments, negated, start.Position);
    }
}
