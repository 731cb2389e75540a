namespace Curation.Normalization.Text;

/// <summary>
/// A Markdown code fence (``` or ~~~, three or more). Detection is lenient about indentation, so fences inside list
/// items count too: wrongly protecting a few lines costs only some untidied whitespace, wrongly editing code breaks it.
/// </summary>
internal readonly record struct CodeFence(char Marker, int Length)
{
    public static bool TryOpen(ReadOnlySpan<char> line, out CodeFence fence)
    {
        fence = default;
        var text = line.TrimStart(" \t");
        if (text.Length < 3 || text[0] is not ('`' or '~'))
        {
            return false;
        }

        var marker = text[0];
        var length = text.IndexOfAnyExcept(marker);
        if (length < 0)
        {
            length = text.Length;
        }

        // A backtick fence's info string cannot hold a backtick; ```x``` is inline code, not a fence.
        if (length < 3 || (marker == '`' && text[length..].Contains('`')))
        {
            return false;
        }

        fence = new CodeFence(marker, length);
        return true;
    }

    /// <summary>A closing fence: the same marker at least as long, and nothing else on the line but spaces and tabs.</summary>
    public bool IsClosedBy(ReadOnlySpan<char> line)
    {
        var text = line.Trim(" \t");
        return text.Length >= Length && !text.ContainsAnyExcept(Marker);
    }
}
