using System.Buffers;
using Curation.Core.Text;

namespace Curation.Normalization.Text;

/// <summary>
/// Trims (and optionally collapses) whitespace line by line. Fenced code blocks, fence lines included, are copied
/// untouched; a fence that is never closed protects everything to the end of the text.
/// </summary>
internal sealed class WhitespaceCleaner
{
    private const int MaxBlankLines = 2;

    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\n\r\v\f\u0085\u2028\u2029");

    private readonly bool _collapse;

    public WhitespaceCleaner(bool collapse)
    {
        _collapse = collapse;
    }

    /// <summary>
    /// False when <see cref="Clean"/> surely leaves <paramref name="text"/> as it is. Only valid when the text's
    /// whitespace is limited to spaces, tabs and LFs (<paramref name="hasUnusualWhitespace"/> false).
    /// </summary>
    public bool MayChange(ReadOnlySpan<char> text, bool hasUnusualWhitespace)
    {
        if (hasUnusualWhitespace)
        {
            return true;
        }

        if (text.IsEmpty)
        {
            return false;
        }

        if (HasBlankEnd(text)
            || text.IndexOf(" \n") >= 0 || text.IndexOf("\t\n") >= 0)
        {
            return true;
        }

        return _collapse && (text.IndexOf("  ") >= 0 || text.Contains('\t') || text.IndexOf("\n\n\n\n") >= 0);
    }

    /// <summary>Whether non-empty <paramref name="text"/> of spaces, tabs and LFs starts or ends with one of them, which trimming removes.</summary>
    public static bool HasBlankEnd(ReadOnlySpan<char> text) => text[0] is ' ' or '\t' or '\n' || text[^1] is ' ' or '\t' or '\n';

    public void Clean(ReadOnlySpan<char> text, ref PooledCharBuffer output)
    {
        CodeFence? fence = null;
        var leading = true;
        var blankLines = 0;
        var protectedEnd = 0;
        var position = 0;
        while (position < text.Length)
        {
            var rest = text[position..];
            var lineLength = rest.IndexOfAny(LineBreaks);
            var terminatorLength = 0;
            if (lineLength < 0)
            {
                lineLength = rest.Length;
            }
            else
            {
                terminatorLength = rest[lineLength] == '\r' && lineLength + 1 < rest.Length && rest[lineLength + 1] == '\n' ? 2 : 1;
            }

            var line = rest[..lineLength];
            var terminator = rest.Slice(lineLength, terminatorLength);
            position += lineLength + terminatorLength;

            if (fence is { } open)
            {
                output.Append(line);
                if (open.IsClosedBy(line))
                {
                    fence = null;
                    protectedEnd = output.Length;
                }

                output.Append(terminator);
                continue;
            }

            if (CodeFence.TryOpen(line, out var opening))
            {
                fence = opening;
                leading = false;
                blankLines = 0;
                output.Append(line);
                output.Append(terminator);
                continue;
            }

            var content = line.TrimEnd();
            if (leading)
            {
                content = content.TrimStart();
                if (content.IsEmpty)
                {
                    continue;
                }

                leading = false;
            }

            if (content.IsEmpty)
            {
                if (++blankLines <= MaxBlankLines || !_collapse)
                {
                    output.Append(terminator);
                }

                continue;
            }

            blankLines = 0;
            if (_collapse)
            {
                AppendCollapsed(content, ref output);
            }
            else
            {
                output.Append(content);
            }

            output.Append(terminator);
        }

        if (fence is null)
        {
            var end = output.Length;
            while (end > protectedEnd && char.IsWhiteSpace(output[end - 1]))
            {
                end--;
            }

            output.Truncate(end);
        }
    }

    /// <summary>Keeps the line's indentation (Markdown lists and quotes rely on it) and turns every later run of spaces and tabs into one space.</summary>
    private static void AppendCollapsed(ReadOnlySpan<char> content, ref PooledCharBuffer output)
    {
        var indentation = content.IndexOfAnyExcept(" \t");
        output.Append(content[..indentation]);
        var rest = content[indentation..];
        while (!rest.IsEmpty)
        {
            var run = rest.IndexOfAny(' ', '\t');
            if (run < 0)
            {
                output.Append(rest);
                return;
            }

            output.Append(rest[..run]);
            output.Append(' ');
            rest = rest[run..];
            rest = rest[rest.IndexOfAnyExcept(' ', '\t')..];
        }
    }
}
