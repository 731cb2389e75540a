using System.Runtime.CompilerServices;
using System.Text;
using Curation.Tokenization.ChatTemplates.Jinja.Library;
using Curation.Tokenization.ChatTemplates.Jinja.Syntax;

namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>What a rendering wrote, and where its <c>{% generation %}</c> blocks landed in it.</summary>
internal sealed record RenderOutput(string Text, IReadOnlyList<Range> Generation);

/// <summary>
/// Renders a parsed template: walks the statements, evaluates expressions with Python's semantics, and stops at
/// <see cref="RenderLimits"/>. One instance renders once.
/// </summary>
internal sealed class Evaluator
{
    private readonly StringBuilder _root = new();
    private readonly List<Range> _generation = [];
    private StringBuilder _output;
    private long _iterations;
    private int _callDepth;

    private Evaluator(RenderLimits limits)
    {
        Limits = limits;
        _output = _root;
    }

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public RenderLimits Limits { get; }

    /// <exception cref="TemplateRenderException">The template failed (raise_exception, an undefined value used, a limit).</exception>
    public static RenderOutput Render(IReadOnlyList<Statement> template, IEnumerable<KeyValuePair<string, Value>> variables, RenderLimits limits, Func<DateTime> now)
    {
        var evaluator = new Evaluator(limits);
        var globals = new Scope(null);
        foreach (var (name, value) in Globals.For(limits, now))
        {
            globals.Set(name, value);
        }

        var scope = new Scope(globals);
        foreach (var (name, value) in variables)
        {
            scope.Set(name, value);
        }

        try
        {
            evaluator.Execute(template, scope);
        }
        catch (OverflowException)
        {
            throw new TemplateRenderException("a number went past 64 bits");
        }
        catch (InsufficientExecutionStackException)
        {
            throw new TemplateLimitException("the template nests too deeply to render");
        }

        return new RenderOutput(evaluator._root.ToString(), evaluator._generation);
    }

    public Value ApplyFilter(string name, Value input, Arguments arguments) =>
        Filters.All.TryGetValue(name, out var filter) ? filter(this, input, arguments) : throw new TemplateRenderException($"no filter named '{name}'");

    public bool ApplyTest(string name, Value input, Arguments arguments) =>
        ValueTests.All.TryGetValue(name, out var test) ? test(this, input, arguments) : throw new TemplateRenderException($"no test named '{name}'");

    private static bool Locate(TemplateRenderException exception, SourcePosition position)
    {
        exception.Position ??= position;
        return false;
    }

    private void Write(string text)
    {
        _output.Append(text);
        if (_output.Length > Limits.MaxOutputLength)
        {
            throw new TemplateLimitException($"the output is over the limit of {Limits.MaxOutputLength} characters");
        }
    }

    private string Capture(IReadOnlyList<Statement> body, Scope scope)
    {
        var outer = _output;
        _output = new StringBuilder();
        try
        {
            Execute(body, scope);
            return _output.ToString();
        }
        finally
        {
            _output = outer;
        }
    }

    private Flow Execute(IReadOnlyList<Statement> body, Scope scope)
    {
        foreach (var statement in body)
        {
            var flow = Execute(statement, scope);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    private Flow Execute(Statement statement, Scope scope)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        try
        {
            switch (statement)
            {
                case TextStatement text:
                    Write(text.Text);
                    break;
                case OutputStatement output:
                    Write(Evaluate(output.Value, scope).ToText());
                    break;
                case IfStatement conditional:
                    foreach (var (condition, branch) in conditional.Branches)
                    {
                        if (Evaluate(condition, scope).IsTruthy)
                        {
                            return Execute(branch, scope);
                        }
                    }

                    return Execute(conditional.Otherwise, scope);
                case ForStatement loop:
                    ExecuteFor(loop, scope);
                    break;
                case SetStatement set:
                    Assign(set.Target, Evaluate(set.Value, scope), scope);
                    break;
                case SetAttributeStatement setAttribute:
                    var ns = scope.Find(setAttribute.Namespace) as NamespaceValue
                        ?? throw new TemplateRenderException($"cannot assign attribute on non-namespace object '{setAttribute.Namespace}'");
                    ns.Set(setAttribute.Attribute, Evaluate(setAttribute.Value, scope));
                    break;
                case BlockSetStatement blockSet:
                    Value captured = new StringValue(Capture(blockSet.Body, scope));
                    scope.Set(blockSet.Name, blockSet.Filter is null ? captured : ApplyFilterChain(blockSet.Filter, captured, scope));
                    break;
                case MacroStatement macro:
                    scope.Set(macro.Name, MacroFunction(macro.Name, macro.Parameters, macro.Body, scope));
                    break;
                case CallBlockStatement callBlock:
                    var caller = MacroFunction("caller", callBlock.CallerParameters, callBlock.Body, scope);
                    var target = Evaluate(callBlock.Call.Target, scope);
                    var arguments = EvaluateArguments(callBlock.Call.Arguments, scope);
                    Write(Call(target, new Arguments(arguments.Positional, [.. arguments.Named, KeyValuePair.Create<string, Value>("caller", caller)])).ToText());
                    break;
                case FilterBlockStatement filterBlock:
                    Write(ApplyFilterChain(filterBlock.Filter, new StringValue(Capture(filterBlock.Body, scope)), scope).ToText());
                    break;
                case WithStatement with:
                    var inner = new Scope(scope);
                    foreach (var (assignTarget, value) in with.Assignments)
                    {
                        Assign(assignTarget, Evaluate(value, scope), inner);
                    }

                    return Execute(with.Body, inner);
                case GenerationStatement generation:
                    var start = _output.Length;
                    var flow = Execute(generation.Body, scope);
                    if (ReferenceEquals(_output, _root))
                    {
                        _generation.Add(new Range(start, _output.Length));
                    }

                    return flow;
                case BreakStatement:
                    return Flow.Break;
                case ContinueStatement:
                    return Flow.Continue;
                default:
                    throw new InvalidOperationException($"unhandled statement {statement.GetType().Name}");
            }

            return Flow.Normal;
        }
        catch (TemplateRenderException ex) when (Locate(ex, statement.Position))
        {
            throw;
        }
    }

    private void ExecuteFor(ForStatement loop, Scope scope)
    {
        var items = Operations.Iterate(Evaluate(loop.Iterable, scope));
        if (loop.Filter is not null)
        {
            items = [.. items.Where(item =>
            {
                var filterScope = new Scope(scope);
                Assign(loop.Target, item, filterScope);
                return Evaluate(loop.Filter, filterScope).IsTruthy;
            })];
        }

        if (items.Count == 0)
        {
            Execute(loop.Otherwise, new Scope(scope));
            return;
        }

        var context = new LoopValue(items);
        for (var i = 0; i < items.Count; i++)
        {
            if (++_iterations > Limits.MaxLoopIterations)
            {
                throw new TemplateLimitException($"loops ran over the limit of {Limits.MaxLoopIterations} iterations");
            }

            var iteration = new Scope(scope);
            Assign(loop.Target, items[i], iteration);
            context.Index0 = i;
            iteration.Set("loop", context);
            if (Execute(loop.Body, iteration) == Flow.Break)
            {
                break;
            }
        }
    }

    private static void Assign(AssignTarget target, Value value, Scope scope)
    {
        if (!target.IsTuple)
        {
            scope.Set(target.Names[0], value);
            return;
        }

        var items = Operations.Iterate(value);
        if (items.Count != target.Names.Count)
        {
            throw new TemplateRenderException(items.Count > target.Names.Count
                ? $"too many values to unpack (expected {target.Names.Count})"
                : $"not enough values to unpack (expected {target.Names.Count}, got {items.Count})");
        }

        for (var i = 0; i < items.Count; i++)
        {
            scope.Set(target.Names[i], items[i]);
        }
    }

    /// <summary>A macro (or a call block's <c>caller</c>): renders its body in a scope of its own under the one it was defined in.</summary>
    private FunctionValue MacroFunction(string name, IReadOnlyList<MacroParameter> parameters, IReadOnlyList<Statement> body, Scope definedIn) =>
        new(name, arguments =>
        {
            if (++_callDepth > Limits.MaxCallDepth)
            {
                throw new TemplateLimitException($"macro calls nested over the limit of {Limits.MaxCallDepth}");
            }

            try
            {
                var scope = new Scope(definedIn);
                var bound = new bool[parameters.Count];
                for (var i = 0; i < Math.Min(parameters.Count, arguments.Positional.Count); i++)
                {
                    scope.Set(parameters[i].Name, arguments.Positional[i]);
                    bound[i] = true;
                }

                var extraNamed = new List<KeyValuePair<Value, Value>>();
                foreach (var (argumentName, value) in arguments.Named)
                {
                    var index = parameters.ToList().FindIndex(p => p.Name == argumentName);
                    if (index >= 0)
                    {
                        if (bound[index])
                        {
                            throw new TemplateRenderException($"macro '{name}' got multiple values for argument '{argumentName}'");
                        }

                        scope.Set(argumentName, value);
                        bound[index] = true;
                    }
                    else if (argumentName == "caller")
                    {
                        scope.Set("caller", value);
                    }
                    else
                    {
                        extraNamed.Add(KeyValuePair.Create<Value, Value>(new StringValue(argumentName), value));
                    }
                }

                for (var i = 0; i < parameters.Count; i++)
                {
                    if (!bound[i])
                    {
                        scope.Set(parameters[i].Name, parameters[i].Default is { } fallback
                            ? Evaluate(fallback, scope)
                            : new UndefinedValue($"parameter '{parameters[i].Name}' was not provided"));
                    }
                }

                scope.Set("varargs", new ListValue([.. arguments.Positional.Skip(parameters.Count)], isTuple: true));
                scope.Set("kwargs", new DictValue(extraNamed));
                return new StringValue(Capture(body, scope));
            }
            finally
            {
                _callDepth--;
            }
        });

    private Value ApplyFilterChain(FilterExpression filter, Value input, Scope scope)
    {
        var target = filter.Target is FilterExpression inner ? ApplyFilterChain(inner, input, scope) : input;
        return ApplyFilter(filter.Name, target, EvaluateArguments(filter.Arguments, scope));
    }

    private Value Evaluate(Expression expression, Scope scope)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        try
        {
            return expression switch
            {
                LiteralExpression literal => literal.Value,
                NameExpression name => scope.Find(name.Name) ?? new UndefinedValue($"'{name.Name}' is undefined"),
                ListExpression list => new ListValue([.. list.Items.Select(item => Evaluate(item, scope))], list.IsTuple),
                DictExpression dict => new DictValue([.. dict.Entries.Select(entry => KeyValuePair.Create(Evaluate(entry.Key, scope), Evaluate(entry.Value, scope)))]),
                AttributeExpression attribute => Access.GetAttribute(Evaluate(attribute.Target, scope), attribute.Name),
                ItemExpression item => Access.GetItem(Evaluate(item.Target, scope), Evaluate(item.Key, scope)),
                SliceExpression slice => Access.Slice(
                    Evaluate(slice.Target, scope),
                    slice.Start is null ? NoneValue.Instance : Evaluate(slice.Start, scope),
                    slice.Stop is null ? NoneValue.Instance : Evaluate(slice.Stop, scope),
                    slice.Step is null ? NoneValue.Instance : Evaluate(slice.Step, scope)),
                CallExpression call => Call(Evaluate(call.Target, scope), EvaluateArguments(call.Arguments, scope)),
                FilterExpression filter => ApplyFilter(filter.Name, Evaluate(filter.Target!, scope), EvaluateArguments(filter.Arguments, scope)),
                TestExpression test => BoolValue.Of(ApplyTest(test.Name, Evaluate(test.Target, scope), EvaluateArguments(test.Arguments, scope)) != test.Negated),
                UnaryExpression unary => unary.Operator switch
                {
                    UnaryOperator.Not => Operations.Not(Evaluate(unary.Operand, scope)),
                    UnaryOperator.Negate => Operations.Negate(Evaluate(unary.Operand, scope)),
                    _ => Operations.Plus(Evaluate(unary.Operand, scope)),
                },
                BinaryExpression binary => EvaluateBinary(binary, scope),
                CompareExpression compare => EvaluateCompare(compare, scope),
                ConditionalExpression conditional => Evaluate(conditional.Condition, scope).IsTruthy
                    ? Evaluate(conditional.Then, scope)
                    : conditional.Otherwise is null
                        ? new UndefinedValue($"the inline if-expression on {conditional.Position} evaluated to false and no else section was defined.")
                        : Evaluate(conditional.Otherwise, scope),
                _ => throw new InvalidOperationException($"unhandled expression {expression.GetType().Name}"),
            };
        }
        catch (TemplateRenderException ex) when (Locate(ex, expression.Position))
        {
            throw;
        }
    }

    private Value EvaluateBinary(BinaryExpression binary, Scope scope)
    {
        var left = Evaluate(binary.Left, scope);
        switch (binary.Operator)
        {
            case BinaryOperator.And:
                return left.IsTruthy ? Evaluate(binary.Right, scope) : left;
            case BinaryOperator.Or:
                return left.IsTruthy ? left : Evaluate(binary.Right, scope);
        }

        var right = Evaluate(binary.Right, scope);
        return binary.Operator switch
        {
            BinaryOperator.Add => Operations.Add(left, right, Limits.MaxOutputLength),
            BinaryOperator.Subtract => Operations.Subtract(left, right),
            BinaryOperator.Multiply => Operations.Multiply(left, right, Limits.MaxOutputLength),
            BinaryOperator.Divide => Operations.Divide(left, right),
            BinaryOperator.FloorDivide => Operations.FloorDivide(left, right),
            BinaryOperator.Modulo => Operations.Modulo(left, right),
            BinaryOperator.Power => Operations.Power(left, right),
            _ => Operations.Concat(left, right, Limits.MaxOutputLength),
        };
    }

    private BoolValue EvaluateCompare(CompareExpression compare, Scope scope)
    {
        var left = Evaluate(compare.First, scope);
        foreach (var (op, operand) in compare.Rest)
        {
            var right = Evaluate(operand, scope);
            var holds = op switch
            {
                CompareOperator.Equal => Operations.AreEqual(left, right),
                CompareOperator.NotEqual => !Operations.AreEqual(left, right),
                CompareOperator.Less => Operations.Compare(left, right, "<") < 0,
                CompareOperator.LessOrEqual => Operations.Compare(left, right, "<=") <= 0,
                CompareOperator.Greater => Operations.Compare(left, right, ">") > 0,
                CompareOperator.GreaterOrEqual => Operations.Compare(left, right, ">=") >= 0,
                CompareOperator.In => Operations.Contains(right, left),
                _ => !Operations.Contains(right, left),
            };
            if (!holds)
            {
                return BoolValue.False;
            }

            left = right;
        }

        return BoolValue.True;
    }

    private Arguments EvaluateArguments(CallArguments arguments, Scope scope)
    {
        if (arguments.Positional.Count == 0 && arguments.Named.Count == 0 && arguments.Spread is null && arguments.SpreadNamed is null)
        {
            return Arguments.None;
        }

        var positional = arguments.Positional.Select(argument => Evaluate(argument, scope)).ToList();
        if (arguments.Spread is not null)
        {
            positional.AddRange(Operations.Iterate(Evaluate(arguments.Spread, scope)));
        }

        var named = arguments.Named.Select(argument => KeyValuePair.Create(argument.Name, Evaluate(argument.Value, scope))).ToList();
        if (arguments.SpreadNamed is not null)
        {
            if (Evaluate(arguments.SpreadNamed, scope) is not DictValue dict)
            {
                throw new TemplateRenderException("argument after ** must be a mapping");
            }

            named.AddRange(dict.Entries.Select(entry => KeyValuePair.Create(entry.Key is StringValue key ? key.Value : throw new TemplateRenderException("keywords must be strings"), entry.Value)));
        }

        return new Arguments(positional, named);
    }

    private static Value Call(Value target, Arguments arguments) => target switch
    {
        FunctionValue function => function.Invoke(arguments),
        UndefinedValue undefined => throw undefined.Fail(),
        _ => throw new TemplateRenderException($"'{target.TypeName}' object is not callable"),
    };
}
