namespace Curation.Tokenization.ChatTemplates.Jinja.Syntax;

internal enum TokenKind
{
    /// <summary>Template text outside tags, whitespace control already applied.</summary>
    Data,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>
/// One lexical token. <see cref="Text"/> is the data, the name, the operator, a string literal's unescaped value, or a
/// number as written; <see cref="Integer"/> and <see cref="Float"/> hold a number's value.
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, SourcePosition Position)
{
    public long Integer { get; init; }

    public double Float { get; init; }

    public bool IsName(string name) => Kind == TokenKind.Name && Text == name;

    public bool IsOperator(string op) => Kind == TokenKind.Operator && Text == op;

    public string Describe() => Kind switch
    {
        TokenKind.End => "end of template",
        TokenKind.Data => "template text",
        TokenKind.VariableBegin => "'{{'",
        TokenKind.VariableEnd => "'}}'",
        TokenKind.BlockBegin => "'{%'",
        TokenKind.BlockEnd => "'%}'",
        TokenKind.String => "a string",
        TokenKind.Integer or TokenKind.Float => $"number {Text}",
        _ => $"'{Text}'",
    };
}
