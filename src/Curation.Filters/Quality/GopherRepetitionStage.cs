using Curation.Filters.Quality.Text;

namespace Curation.Filters.Quality;

/// <summary>Options of <c>gopher-repetition</c>: the defaults of Rae et al. 2021 (Gopher, table A1), as datatrove's GopherRepetitionFilter.</summary>
public sealed class GopherRepetitionOptions
{
    public QualityTarget ApplyTo { get; init; } = QualityTarget.Response;

    public double MaxDuplicateLineFraction { get; init; } = 0.3;

    public double MaxDuplicateParagraphFraction { get; init; } = 0.3;

    public double MaxDuplicateLineCharacterFraction { get; init; } = 0.2;

    public double MaxDuplicateParagraphCharacterFraction { get; init; } = 0.2;

    /// <summary>Most characters in the most frequent 2-, 3- and 4-gram, as a fraction of the text.</summary>
    public List<double> MaxTopNgramFraction { get; init; } = [0.20, 0.18, 0.16];

    /// <summary>Most characters in repeated 5- to 10-grams, as a fraction of the text.</summary>
    public List<double> MaxDuplicateNgramFraction { get; init; } = [0.15, 0.14, 0.13, 0.12, 0.11, 0.10];

    public List<string> Disable { get; init; } = [];
}

/// <summary>Gopher's repetition rules: repeated lines and paragraphs, over-frequent n-grams, repeated long n-grams.</summary>
internal sealed class GopherRepetitionStage(GopherRepetitionOptions options, string name) : TextQualityStage(name, options.ApplyTo, options.Disable)
{
    private static readonly PieceKind Paragraphs = new("paragraphs", 2, "gopher-duplicate-paragraphs", "gopher-duplicate-paragraph-chars");

    private static readonly PieceKind Lines = new("lines", 1, "gopher-duplicate-lines", "gopher-duplicate-line-chars");

    public override IReadOnlyList<string> Rules { get; } =
        ["gopher-duplicate-paragraphs", "gopher-duplicate-paragraph-chars", "gopher-duplicate-lines", "gopher-duplicate-line-chars", "gopher-top-ngram", "gopher-duplicate-ngrams"];

    protected override RuleFailure? FirstFailure(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (RepeatedPieces(text.Trim(), Paragraphs, options.MaxDuplicateParagraphFraction, options.MaxDuplicateParagraphCharacterFraction, text.Length) is { } paragraphs)
        {
            return paragraphs;
        }

        if (RepeatedPieces(text, Lines, options.MaxDuplicateLineFraction, options.MaxDuplicateLineCharacterFraction, text.Length) is { } lines)
        {
            return lines;
        }

        var checkTop = Enabled("gopher-top-ngram") && options.MaxTopNgramFraction.Count > 0;
        var checkRepeated = Enabled("gopher-duplicate-ngrams") && options.MaxDuplicateNgramFraction.Count > 0;
        if (!checkTop && !checkRepeated)
        {
            return null;
        }

        var ngrams = RepeatableNgrams.Of(WordHashes.Of(text));
        for (var i = 0; checkTop && i < options.MaxTopNgramFraction.Count; i++)
        {
            var n = i + 2;
            ngrams.MoveTo(n);
            var top = ngrams.TopCharacters();
            if ((double)top / text.Length > options.MaxTopNgramFraction[i])
            {
                return new("gopher-top-ngram", Format($"the most frequent {n}-gram covers {top} of {text.Length} characters, max fraction {options.MaxTopNgramFraction[i]}"));
            }
        }

        for (var i = 0; checkRepeated && i < options.MaxDuplicateNgramFraction.Count; i++)
        {
            var n = i + 5;
            ngrams.MoveTo(n);
            var repeated = ngrams.RepeatedCharacters();
            if ((double)repeated / text.Length > options.MaxDuplicateNgramFraction[i])
            {
                return new("gopher-duplicate-ngrams", Format($"repeated {n}-grams cover {repeated} of {text.Length} characters, max fraction {options.MaxDuplicateNgramFraction[i]}"));
            }
        }

        return null;
    }

    /// <summary>The paragraph (pieces between 2 or more newlines) or line (between 1 or more) rules.</summary>
    private RuleFailure? RepeatedPieces(ReadOnlySpan<char> text, PieceKind kind, double maxFraction, double maxCharacterFraction, int characters)
    {
        var (pieces, minimumRun, countRule, characterRule) = kind;
        if (!Enabled(countRule) && !Enabled(characterRule))
        {
            return null;
        }

        var duplicates = DuplicatePieces.Begin();
        var total = 0;
        var splitter = new NewlineRunEnumerator(text, minimumRun);
        while (splitter.MoveNext())
        {
            total++;
            duplicates.Add(text, splitter.Start, splitter.Current.Length);
        }

        if ((double)duplicates.Count / total > maxFraction && Enabled(countRule))
        {
            return new(countRule, Format($"{duplicates.Count} of {total} {pieces} repeat, max fraction {maxFraction}"));
        }

        if ((double)duplicates.Characters / characters > maxCharacterFraction && Enabled(characterRule))
        {
            return new(characterRule, Format($"{duplicates.Characters} of {characters} characters in repeated {pieces}, max fraction {maxCharacterFraction}"));
        }

        return null;
    }

    private sealed record PieceKind(string Name, int MinimumNewlines, string CountRule, string CharacterRule);
}
