using Curation.Tokenization.ChatTemplates.Jinja.Syntax;

namespace Curation.Tokenization.ChatTemplates.Jinja.Runtime;

/// <summary>
/// A template that fails while rendering: <c>raise_exception</c>, an undefined value used, a type error, a limit
/// reached. <see cref="Position"/> is where, once known.
/// </summary>
internal class TemplateRenderException : Exception
{
    public TemplateRenderException()
    {
    }

    public TemplateRenderException(string message)
        : base(message)
    {
    }

    public TemplateRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SourcePosition? Position { get; set; }

    /// <summary>Raised by the template itself with <c>raise_exception(message)</c>.</summary>
    public bool RaisedByTemplate { get; init; }
}

/// <summary>A rendering that went past one of <see cref="RenderLimits"/>.</summary>
internal sealed class TemplateLimitException : TemplateRenderException
{
    public TemplateLimitException()
    {
    }

    public TemplateLimitException(string message)
        : base(message)
    {
    }

    public TemplateLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
