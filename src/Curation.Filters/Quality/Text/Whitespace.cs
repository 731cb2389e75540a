using System.Runtime.CompilerServices;

namespace Curation.Filters.Quality.Text;

/// <summary><see cref="char.IsWhiteSpace(char)"/> with one comparison for the printable ASCII that words are mostly made of.</summary>
internal static class Whitespace
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Is(char c) => c > ' '
        ? c >= '\u0085' && char.IsWhiteSpace(c)
        : c == ' ' || (uint)(c - '\t') <= '\r' - '\t';
}
