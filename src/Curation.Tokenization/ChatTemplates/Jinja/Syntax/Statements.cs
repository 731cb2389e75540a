namespace Curation.Tokenization.ChatTemplates.Jinja.Syntax;

/// <summary>A node of the template body, with where it starts in the source.</summary>
internal abstract record Statement(SourcePosition Position);

/// <summary>Template text written as is.</summary>
internal sealed record TextStatement(string Text, SourcePosition Position) : Statement(Position);

/// <summary><c>{{ expression }}</c>.</summary>
internal sealed record OutputStatement(Expression Value, SourcePosition Position) : Statement(Position);

internal sealed record IfStatement(IReadOnlyList<(Expression Condition, IReadOnlyList<Statement> Body)> Branches, IReadOnlyList<Statement> Otherwise, SourcePosition Position)
    : Statement(Position);

/// <summary>A name, or a tuple of names to unpack into (<c>for key, value in ...</c>).</summary>
internal sealed record AssignTarget(IReadOnlyList<string> Names, bool IsTuple);

internal sealed record ForStatement(
    AssignTarget Target,
    Expression Iterable,
    Expression? Filter,
    IReadOnlyList<Statement> Body,
    IReadOnlyList<Statement> Otherwise,
    SourcePosition Position) : Statement(Position);

/// <summary><c>{% set a = value %}</c> or <c>{% set a, b = value %}</c>.</summary>
internal sealed record SetStatement(AssignTarget Target, Expression Value, SourcePosition Position) : Statement(Position);

/// <summary><c>{% set ns.attribute = value %}</c>, allowed only on a <c>namespace()</c>.</summary>
internal sealed record SetAttributeStatement(string Namespace, string Attribute, Expression Value, SourcePosition Position) : Statement(Position);

/// <summary><c>{% set name | filters %}body{% endset %}</c>: the rendered body, filtered.</summary>
internal sealed record BlockSetStatement(string Name, FilterExpression? Filter, IReadOnlyList<Statement> Body, SourcePosition Position) : Statement(Position);

internal sealed record MacroParameter(string Name, Expression? Default);

internal sealed record MacroStatement(string Name, IReadOnlyList<MacroParameter> Parameters, IReadOnlyList<Statement> Body, SourcePosition Position) : Statement(Position);

/// <summary><c>{% call(parameters) macro(arguments) %}body{% endcall %}</c>: the macro runs with the body as <c>caller</c>.</summary>
internal sealed record CallBlockStatement(CallExpression Call, IReadOnlyList<MacroParameter> CallerParameters, IReadOnlyList<Statement> Body, SourcePosition Position)
    : Statement(Position);

/// <summary><c>{% filter name %}body{% endfilter %}</c>.</summary>
internal sealed record FilterBlockStatement(FilterExpression Filter, IReadOnlyList<Statement> Body, SourcePosition Position) : Statement(Position);

internal sealed record WithStatement(IReadOnlyList<(AssignTarget Target, Expression Value)> Assignments, IReadOnlyList<Statement> Body, SourcePosition Position)
    : Statement(Position);

/// <summary>
/// <c>{% generation %}body{% endgeneration %}</c>, Hugging Face's marker of what the assistant writes (the span
/// <c>return_assistant_tokens_mask</c> trains on); renders its body.
/// </summary>
internal sealed record GenerationStatement(IReadOnlyList<Statement> Body, SourcePosition Position) : Statement(Position);

internal sealed record BreakStatement(SourcePosition Position) : Statement(Position);

internal sealed record ContinueStatement(SourcePosition Position) : Statement(Position);
