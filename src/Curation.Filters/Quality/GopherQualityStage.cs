using Curation.Core.Records;

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
public sealed class GopherQualityStage(GopherQualityOptions options, string name) : QualityStage(name, options.ApplyTo, options.Disable)
{
    private static readonly HashSet<string> StopWords = new(["the", "be", "to", "of", "and", "that", "have", "with"], StringComparer.Ordinal);
    private static readonly string[] Bullets = ["•", "‣", "⁃", "◦", "⁌", "⁍", "∙", "-", "*", "–", "—"];

    public override IReadOnlyList<string> Rules { get; } =
        ["gopher-too-few-words", "gopher-too-many-words", "gopher-short-words", "gopher-long-words", "gopher-symbols", "gopher-bullet-lines", "gopher-ellipsis-lines", "gopher-non-alphabetic", "gopher-stop-words"];

    protected override IEnumerable<(string Rule, string Detail)> Check(ChatRecord record, string text)
    {
        var words = QualityText.Words(text);
        var content = words.Where(word => word.Any(c => !char.IsPunctuation(c) && !char.IsSymbol(c))).ToArray();
        if (content.Length < options.MinWords)
        {
            yield return ("gopher-too-few-words", Format($"{content.Length} words, min {options.MinWords}"));
        }

        if (content.Length > options.MaxWords)
        {
            yield return ("gopher-too-many-words", Format($"{content.Length} words, max {options.MaxWords}"));
        }

        var average = content.Length == 0 ? 0 : content.Average(word => word.Length);
        if (average < options.MinAverageWordLength)
        {
            yield return ("gopher-short-words", Format($"mean word length {average:0.00}, min {options.MinAverageWordLength}"));
        }

        if (average > options.MaxAverageWordLength)
        {
            yield return ("gopher-long-words", Format($"mean word length {average:0.00}, max {options.MaxAverageWordLength}"));
        }

        var symbols = Count(text, "#") + Count(text, "...") + Count(text, "…");
        if (words.Length > 0 && (double)symbols / words.Length > options.MaxSymbolWordRatio)
        {
            yield return ("gopher-symbols", Format($"{symbols} '#' and ellipses per {words.Length} words, max ratio {options.MaxSymbolWordRatio}"));
        }

        var lines = text.Split('\n');
        var bullets = lines.Count(line => Bullets.Any(bullet => line.TrimStart().StartsWith(bullet, StringComparison.Ordinal)));
        if ((double)bullets / lines.Length > options.MaxBulletLinesRatio)
        {
            yield return ("gopher-bullet-lines", Format($"{bullets} of {lines.Length} lines start with a bullet, max ratio {options.MaxBulletLinesRatio}"));
        }

        var ellipses = lines.Count(line => line.TrimEnd().EndsWith("...", StringComparison.Ordinal) || line.TrimEnd().EndsWith('…'));
        if ((double)ellipses / lines.Length > options.MaxEllipsisLinesRatio)
        {
            yield return ("gopher-ellipsis-lines", Format($"{ellipses} of {lines.Length} lines end with an ellipsis, max ratio {options.MaxEllipsisLinesRatio}"));
        }

        var alphabetic = words.Count(word => word.Any(char.IsLetter));
        if (words.Length > 0 && (double)alphabetic / words.Length < options.MinAlphabeticWordsRatio)
        {
            yield return ("gopher-non-alphabetic", Format($"{alphabetic} of {words.Length} words hold a letter, min ratio {options.MinAlphabeticWordsRatio}"));
        }

        var stopWords = words.Count(word => StopWords.Contains(word.ToLowerInvariant()));
        if (stopWords < options.MinStopWords)
        {
            yield return ("gopher-stop-words", Format($"{stopWords} stop words, min {options.MinStopWords}"));
        }
    }

    private static int Count(string text, string symbol)
    {
        var count = 0;
        for (var at = text.IndexOf(symbol, StringComparison.Ordinal); at >= 0; at = text.IndexOf(symbol, at + symbol.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
