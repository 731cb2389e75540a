namespace Curation.Tokenization.ChatTemplates.Jinja.Syntax;

/// <summary>A template that is not valid Jinja, or uses a part of Jinja that chat templates are not rendered with.</summary>
internal sealed class TemplateSyntaxException : Exception
{
    public TemplateSyntaxException()
    {
    }

    public TemplateSyntaxException(string message)
        : base(message)
    {
    }

    public TemplateSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TemplateSyntaxException(string message, SourcePosition position)
        : base(message)
    {
        Position = position;
    }

    public SourcePosition Position { get; }
}
