using System.Buffers;
using Curation.Filters.Quality.Text;

namespace Curation.Filters.Quality;

/// <summary>What Gopher's quality rules count over a text's '\n'-separated lines.</summary>
internal readonly record struct GopherLineCounts(int Total, int Bullets, int Ellipses)
{
    private static readonly SearchValues<char> Bullet = SearchValues.Create("•‣⁃◦⁌⁍∙-*–—");

    public static GopherLineCounts Of(ReadOnlySpan<char> text)
    {
        int total = 0, bullets = 0, ellipses = 0;
        foreach (var line in new LineEnumerator(text))
        {
            total++;
            var start = line.TrimStart();
            if (start.Length > 0 && Bullet.Contains(start[0]))
            {
                bullets++;
            }

            var end = line.TrimEnd();
            if (end.EndsWith("...", StringComparison.Ordinal) || end.EndsWith('…'))
            {
                ellipses++;
            }
        }

        return new(total, bullets, ellipses);
    }
}
