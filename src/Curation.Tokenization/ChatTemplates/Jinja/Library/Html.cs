using System.Text;

namespace Curation.Tokenization.ChatTemplates.Jinja.Library;

/// <summary>MarkupSafe's escaping, for <c>|escape</c> and for joining plain text to safe text.</summary>
internal static class Html
{
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>'\"") < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\'' => "&#39;",
                '"' => "&#34;",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
