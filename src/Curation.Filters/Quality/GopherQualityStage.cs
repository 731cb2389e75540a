
namespace Curation.Filters.Quality;

/// <summary>Options of <c>gopher-quality</c>: the defaults of Rae et al. 2021 (Gopher, appendix A), as datatrove's GopherQualityFilter.</summary>
public sealed class GopherQualityOptions
{
    public QualityTarget ApplyTo { get; init; } = QualityTarget.Response;

    public int MinWords { get; init; } = 50;

    public int MaxWords { get; init; } = 100_000;

    public double MinAverageWordLength { get; init; } = 3;

    public double MaxAverageWordLength { get; init; } = 10;

    /// <summary>Most '#' and ellipsis symbols per word.</summary>
    public double MaxSymbolWordRatio { get; init; } = 0.1;

    public double MaxBulletLinesRatio { get; init; } = 0.9;

    public double MaxEllipsisLinesRatio { get; init; } = 0.3;

    /// <summary>Fewest words holding a letter, as a fraction of all words.</summary>
    public double MinAlphabeticWordsRatio { get; init; } = 0.8;

    /// <summary>Fewest of the stop words the, be, to, of, and, that, have, with.</summary>
    public int MinStopWords { get; init; } = 2;

    public List<string> Disable { get; init; } = [];
}

/// <summary>Gopher's document quality rules: length, word length, symbols, bullets, ellipses, alphabetic words, stop words.</summary>
internal sealed class GopherQualityStage(GopherQualityOptions options, string name) : TextQualityStage(name, options.ApplyTo, options.Disable)
{
    public override IReadOnlyList<string> Rules { get; } =
        ["gopher-too-few-words", "gopher-too-many-words", "gopher-short-words", "gopher-long-words", "gopher-symbols", "gopher-bullet-lines", "gopher-ellipsis-lines", "gopher-non-alphabetic", "gopher-stop-words"];

    protected override RuleFailure? FirstFailure(ReadOnlySpan<char> text)
    {
        var words = GopherWordCounts.Of(text);
        if (words.Content < options.MinWords && Enabled("gopher-too-few-words"))
        {
            return new("gopher-too-few-words", Format($"{words.Content} words, min {options.MinWords}"));
        }

        if (words.Content > options.MaxWords && Enabled("gopher-too-many-words"))
        {
            return new("gopher-too-many-words", Format($"{words.Content} words, max {options.MaxWords}"));
        }

        var average = words.Content == 0 ? 0 : (double)words.ContentCharacters / words.Content;
        if (average < options.MinAverageWordLength && Enabled("gopher-short-words"))
        {
            return new("gopher-short-words", Format($"mean word length {average:0.00}, min {options.MinAverageWordLength}"));
        }

        if (average > options.MaxAverageWordLength && Enabled("gopher-long-words"))
        {
            return new("gopher-long-words", Format($"mean word length {average:0.00}, max {options.MaxAverageWordLength}"));
        }

        var symbols = text.Count('#') + Occurrences(text, "...") + text.Count('…');
        if (words.Total > 0 && (double)symbols / words.Total > options.MaxSymbolWordRatio && Enabled("gopher-symbols"))
        {
            return new("gopher-symbols", Format($"{symbols} '#' and ellipses per {words.Total} words, max ratio {options.MaxSymbolWordRatio}"));
        }

        var lines = GopherLineCounts.Of(text);
        if ((double)lines.Bullets / lines.Total > options.MaxBulletLinesRatio && Enabled("gopher-bullet-lines"))
        {
            return new("gopher-bullet-lines", Format($"{lines.Bullets} of {lines.Total} lines start with a bullet, max ratio {options.MaxBulletLinesRatio}"));
        }

        if ((double)lines.Ellipses / lines.Total > options.MaxEllipsisLinesRatio && Enabled("gopher-ellipsis-lines"))
        {
            return new("gopher-ellipsis-lines", Format($"{lines.Ellipses} of {lines.Total} lines end with an ellipsis, max ratio {options.MaxEllipsisLinesRatio}"));
        }

        if (words.Total > 0 && (double)words.Alphabetic / words.Total < options.MinAlphabeticWordsRatio && Enabled("gopher-non-alphabetic"))
        {
            return new("gopher-non-alphabetic", Format($"{words.Alphabetic} of {words.Total} words hold a letter, min ratio {options.MinAlphabeticWordsRatio}"));
        }

        if (words.StopWords < options.MinStopWords && Enabled("gopher-stop-words"))
        {
            return new("gopher-stop-words", Format($"{words.StopWords} stop words, min {options.MinStopWords}"));
        }

        return null;
    }

    /// <summary>Non-overlapping occurrences, as repeated <c>IndexOf</c> from the end of the last one counts them.</summary>
    private static int Occurrences(ReadOnlySpan<char> text, string symbol)
    {
        var count = 0;
        for (var at = text.IndexOf(symbol, StringComparison.Ordinal); at >= 0; count++)
        {
            text = text[(at + symbol.Length)..];
            at = text.IndexOf(symbol, StringComparison.Ordinal);
        }

        return count;
    }
}
