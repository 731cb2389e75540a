namespace Curation.Core.Unicode;

/// <summary>Finds UTF-16 surrogates that are not part of a pair (what a JSON "\ud800" escape decodes to).</summary>
public static class Surrogates
{
    /// <summary>The char offset of the first lone surrogate, or -1 when every surrogate is paired.</summary>
    public static int FindLone(ReadOnlySpan<char> text)
    {
        var offset = 0;
        while (true)
        {
            var next = text[offset..].IndexOfAny(CharRanges.Surrogates);
            if (next < 0)
            {
                return -1;
            }

            offset += next;
            if (!char.IsHighSurrogate(text[offset]) || offset + 1 >= text.Length || !char.IsLowSurrogate(text[offset + 1]))
            {
                return offset;
            }

            offset += 2;
        }
    }

    /// <summary>The reject detail for a lone surrogate: <c>messages[2].content: lone surrogate U+D800 at char offset 17</c>.</summary>
    public static string Describe(int messageIndex, string field, string text, int offset) =>
        $"messages[{messageIndex}].{field}: lone surrogate U+{(int)text[offset]:X4} at char offset {offset}";
}
