using Curation.Core.Records;

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
public sealed class FineWebQualityStage(FineWebQualityOptions options, string name) : QualityStage(name, options.ApplyTo, options.Disable)
{
    // Terminal punctuation as FineWeb's filter counts it, closing quotes and brackets included.
    private static readonly char[] Terminal = ['.', '!', '?', '"', '\'', '”', '’', '…', '。', '！', '？', ')', ']', ':', ';'];

    public override IReadOnlyList<string> Rules { get; } = ["fineweb-punctuation", "fineweb-short-lines", "fineweb-duplicate-lines", "fineweb-list"];

    protected override IEnumerable<(string Rule, string Detail)> Check(ChatRecord record, string text)
    {
        var lines = text.Split('\n').Where(line => line.Trim().Length > 0).ToArray();
        if (lines.Length == 0)
        {
            yield break;
        }

        var punctuated = lines.Count(line => line.Length > 0 && Terminal.Contains(line[^1]));
        if ((double)punctuated / lines.Length < options.MinPunctuatedLinesRatio)
        {
            yield return ("fineweb-punctuation", Format($"{punctuated} of {lines.Length} lines end in punctuation, min ratio {options.MinPunctuatedLinesRatio}"));
        }

        var short_ = lines.Count(line => line.Length <= options.ShortLineLength);
        if ((double)short_ / lines.Length > options.MaxShortLinesRatio)
        {
            yield return ("fineweb-short-lines", Format($"{short_} of {lines.Length} lines have at most {options.ShortLineLength} characters, max ratio {options.MaxShortLinesRatio}"));
        }

        var characters = text.Length - text.Count(c => c == '\n');
        var (_, duplicated) = QualityText.Duplicates(lines);
        if (characters > 0 && (double)duplicated / characters > options.MaxDuplicateLineCharsRatio)
        {
            yield return ("fineweb-duplicate-lines", Format($"{duplicated} of {characters} characters in repeated lines, max ratio {options.MaxDuplicateLineCharsRatio}"));
        }

        var words = QualityText.Words(text).Length;
        var newlines = text.Count(c => c == '\n');
        if (words > 0 && (double)newlines / words > options.MaxNewlinesPerWord)
        {
            yield return ("fineweb-list", Format($"{newlines} newlines for {words} words, max ratio {options.MaxNewlinesPerWord}"));
        }
    }
}
