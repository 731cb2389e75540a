using System.Buffers;
using Curation.Filters.Quality.Text;

namespace Curation.Filters.Quality;

/// <summary>Options of <c>fineweb-quality</c>: the defaults of FineWeb's line rules (Penedo et al. 2024), as datatrove's FineWebQualityFilter.</summary>
public sealed class FineWebQualityOptions
{
    public QualityTarget ApplyTo { get; init; } = QualityTarget.Response;

    /// <summary>Fewest lines ending in terminal punctuation, as a fraction of non-empty lines.</summary>
    public double MinPunctuatedLinesRatio { get; init; } = 0.12;

    /// <summary>Most lines of at most <see cref="ShortLineLength"/> characters, as a fraction of non-empty lines.</summary>
    public double MaxShortLinesRatio { get; init; } = 0.67;

    public int ShortLineLength { get; init; } = 30;

    /// <summary>Most characters in repeated lines, as a fraction of all characters but newlines.</summary>
    public double MaxDuplicateLineCharsRatio { get; init; } = 0.01;

    /// <summary>Most newlines per word (list-like text).</summary>
    public double MaxNewlinesPerWord { get; init; } = 0.3;

    public List<string> Disable { get; init; } = [];
}

/// <summary>FineWeb's line rules: punctuated lines, short lines, repeated lines, list-like text.</summary>
internal sealed class FineWebQualityStage(FineWebQualityOptions options, string name) : TextQualityStage(name, options.ApplyTo, options.Disable)
{
    // Terminal punctuation as FineWeb's filter counts it, closing quotes and brackets included.
    private static readonly SearchValues<char> Terminal = SearchValues.Create(".!?\"'”’…。！？)]:;");

    public override IReadOnlyList<string> Rules { get; } = ["fineweb-punctuation", "fineweb-short-lines", "fineweb-duplicate-lines", "fineweb-list"];

    protected override RuleFailure? FirstFailure(ReadOnlySpan<char> text)
    {
        int lines = 0, punctuated = 0, short_ = 0;
        var duplicates = DuplicatePieces.Begin();
        var splitter = new LineEnumerator(text);
        while (splitter.MoveNext())
        {
            var line = splitter.Current;
            if (line.IsWhiteSpace())
            {
                continue;
            }

            lines++;
            punctuated += Terminal.Contains(line[^1]) ? 1 : 0;
            short_ += line.Length <= options.ShortLineLength ? 1 : 0;
            duplicates.Add(text, splitter.Start, line.Length);
        }

        if (lines == 0)
        {
            return null;
        }

        if ((double)punctuated / lines < options.MinPunctuatedLinesRatio && Enabled("fineweb-punctuation"))
        {
            return new("fineweb-punctuation", Format($"{punctuated} of {lines} lines end in punctuation, min ratio {options.MinPunctuatedLinesRatio}"));
        }

        if ((double)short_ / lines > options.MaxShortLinesRatio && Enabled("fineweb-short-lines"))
        {
            return new("fineweb-short-lines", Format($"{short_} of {lines} lines have at most {options.ShortLineLength} characters, max ratio {options.MaxShortLinesRatio}"));
        }

        var newlines = text.Count('\n');
        var characters = text.Length - newlines;
        if (characters > 0 && (double)duplicates.Characters / characters > options.MaxDuplicateLineCharsRatio && Enabled("fineweb-duplicate-lines"))
        {
            return new("fineweb-duplicate-lines", Format($"{duplicates.Characters} of {characters} characters in repeated lines, max ratio {options.MaxDuplicateLineCharsRatio}"));
        }

        if (!Enabled("fineweb-list"))
        {
            return null;
        }

        var words = WordEnumerator.Count(text);
        if (words > 0 && (double)newlines / words > options.MaxNewlinesPerWord)
        {
            return new("fineweb-list", Format($"{newlines} newlines for {words} words, max ratio {options.MaxNewlinesPerWord}"));
        }

        return null;
    }
}
