using Curation.Tokenization.ChatTemplates.Jinja.Runtime;

namespace Curation.Tokenization.ChatTemplates.Jinja.Syntax;

/// <summary>An expression of the template, with where it starts in the source.</summary>
internal abstract record Expression(SourcePosition Position);

internal sealed record LiteralExpression(Value Value, SourcePosition Position) : Expression(Position);

internal sealed record NameExpression(string Name, SourcePosition Position) : Expression(Position);

internal sealed record ListExpression(IReadOnlyList<Expression> Items, bool IsTuple, SourcePosition Position) : Expression(Position);

internal sealed record DictExpression(IReadOnlyList<(Expression Key, Expression Value)> Entries, SourcePosition Position) : Expression(Position);

/// <summary><c>target.name</c>: an attribute first, then an item of that name (Jinja's <c>getattr</c>).</summary>
internal sealed record AttributeExpression(Expression Target, string Name, SourcePosition Position) : Expression(Position);

/// <summary><c>target[key]</c>: an item first, then an attribute of that name (Jinja's <c>getitem</c>).</summary>
internal sealed record ItemExpression(Expression Target, Expression Key, SourcePosition Position) : Expression(Position);

internal sealed record SliceExpression(Expression Target, Expression? Start, Expression? Stop, Expression? Step, SourcePosition Position) : Expression(Position);

/// <summary>Arguments of a call, filter or test, as written.</summary>
internal sealed record CallArguments(
    IReadOnlyList<Expression> Positional,
    IReadOnlyList<(string Name, Expression Value)> Named,
    Expression? Spread,
    Expression? SpreadNamed)
{
    public static CallArguments None { get; } = new([], [], null, null);
}

internal sealed record CallExpression(Expression Target, CallArguments Arguments, SourcePosition Position) : Expression(Position);

/// <summary><c>target | name(arguments)</c>; <see cref="Target"/> is null for the filters of a <c>{% filter %}</c> block.</summary>
internal sealed record FilterExpression(Expression? Target, string Name, CallArguments Arguments, SourcePosition Position) : Expression(Position);

internal sealed record TestExpression(Expression Target, string Name, CallArguments Arguments, bool Negated, SourcePosition Position) : Expression(Position);

internal enum UnaryOperator
{
    Not,
    Negate,
    Plus,
}

internal sealed record UnaryExpression(UnaryOperator Operator, Expression Operand, SourcePosition Position) : Expression(Position);

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    FloorDivide,
    Modulo,
    Power,
    Concat,
    And,
    Or,
}

internal sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right, SourcePosition Position) : Expression(Position);

internal enum CompareOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    In,
    NotIn,
}

/// <summary><c>a &lt; b &lt;= c</c>: each comparison with the next operand, all of which must hold (Python's chaining).</summary>
internal sealed record CompareExpression(Expression First, IReadOnlyList<(CompareOperator Operator, Expression Operand)> Rest, SourcePosition Position) : Expression(Position);

/// <summary><c>then if condition else otherwise</c>; without <c>else</c> the value is undefined when the condition fails.</summary>
internal sealed record ConditionalExpression(Expression Condition, Expression Then, Expression? Otherwise, SourcePosition Position) : Expression(Position);
