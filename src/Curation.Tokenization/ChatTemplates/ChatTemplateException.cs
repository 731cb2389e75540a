namespace Curation.Tokenization.ChatTemplates;

/// <summary>A conversation the template cannot render (a role it has no place for, turns that do not alternate).</summary>
public sealed class ChatTemplateException : Exception
{
    public ChatTemplateException()
    {
    }

    public ChatTemplateException(string message)
        : base(message)
    {
    }

    public ChatTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
