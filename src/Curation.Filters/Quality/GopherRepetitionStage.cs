using System.Text.RegularExpressions;
using Curation.Core.Records;

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
public sealed partial class GopherRepetitionStage(GopherRepetitionOptions options, string name) : QualityStage(name, options.ApplyTo, options.Disable)
{
    public override IReadOnlyList<string> Rules { get; } =
        ["gopher-duplicate-paragraphs", "gopher-duplicate-paragraph-chars", "gopher-duplicate-lines", "gopher-duplicate-line-chars", "gopher-top-ngram", "gopher-duplicate-ngrams"];

    protected override IEnumerable<(string Rule, string Detail)> Check(ChatRecord record, string text)
    {
        if (text.Length == 0)
        {
            yield break;
        }

        var paragraphs = Paragraphs().Split(text.Trim());
        var (duplicateParagraphs, paragraphChars) = QualityText.Duplicates(paragraphs);
        if ((double)duplicateParagraphs / paragraphs.Length > options.MaxDuplicateParagraphFraction)
        {
            yield return ("gopher-duplicate-paragraphs", Format($"{duplicateParagraphs} of {paragraphs.Length} paragraphs repeat, max fraction {options.MaxDuplicateParagraphFraction}"));
        }

        if ((double)paragraphChars / text.Length > options.MaxDuplicateParagraphCharacterFraction)
        {
            yield return ("gopher-duplicate-paragraph-chars", Format($"{paragraphChars} of {text.Length} characters in repeated paragraphs, max fraction {options.MaxDuplicateParagraphCharacterFraction}"));
        }

        var lines = Lines().Split(text);
        var (duplicateLines, lineChars) = QualityText.Duplicates(lines);
        if ((double)duplicateLines / lines.Length > options.MaxDuplicateLineFraction)
        {
            yield return ("gopher-duplicate-lines", Format($"{duplicateLines} of {lines.Length} lines repeat, max fraction {options.MaxDuplicateLineFraction}"));
        }

        if ((double)lineChars / text.Length > options.MaxDuplicateLineCharacterFraction)
        {
            yield return ("gopher-duplicate-line-chars", Format($"{lineChars} of {text.Length} characters in repeated lines, max fraction {options.MaxDuplicateLineCharacterFraction}"));
        }

        var words = QualityText.Words(text);
        var hashes = WordHashes(words);
        for (var i = 0; i < options.MaxTopNgramFraction.Count; i++)
        {
            var n = i + 2;
            var top = TopNgramCharacters(words, hashes, n);
            if ((double)top / text.Length > options.MaxTopNgramFraction[i])
            {
                yield return ("gopher-top-ngram", Format($"the most frequent {n}-gram covers {top} of {text.Length} characters, max fraction {options.MaxTopNgramFraction[i]}"));
            }
        }

        for (var i = 0; i < options.MaxDuplicateNgramFraction.Count; i++)
        {
            var n = i + 5;
            var repeated = RepeatedNgramCharacters(words, hashes, n);
            if ((double)repeated / text.Length > options.MaxDuplicateNgramFraction[i])
            {
                yield return ("gopher-duplicate-ngrams", Format($"repeated {n}-grams cover {repeated} of {text.Length} characters, max fraction {options.MaxDuplicateNgramFraction[i]}"));
            }
        }
    }

    /// <summary>
    /// Characters of the most frequent n-gram (words joined by spaces) times its count, when it occurs more than once;
    /// ties go to the n-gram seen first, as <c>Counter.most_common</c> in datatrove's <c>find_top_duplicate</c>.
    /// </summary>
    private static int TopNgramCharacters(string[] words, ulong[] hashes, int n)
    {
        var counts = new Dictionary<ulong, (int Count, int Length, int First)>();
        for (var i = 0; i + n <= words.Length; i++)
        {
            var key = NgramHash(hashes, i, n);
            counts[key] = counts.TryGetValue(key, out var seen)
                ? (seen.Count + 1, seen.Length, seen.First)
                : (1, NgramLength(words, i, n) + n - 1, i);
        }

        var top = (Count: 0, Length: 0, First: int.MaxValue);
        foreach (var entry in counts.Values)
        {
            if (entry.Count > top.Count || (entry.Count == top.Count && entry.First < top.First))
            {
                top = entry;
            }
        }

        return top.Count > 1 ? top.Length * top.Count : 0;
    }

    /// <summary>Characters of n-grams (words joined without spaces) seen before, skipping past each repeat (datatrove's <c>find_all_duplicate</c>).</summary>
    private static int RepeatedNgramCharacters(string[] words, ulong[] hashes, int n)
    {
        var seen = new HashSet<ulong>();
        var repeated = 0;
        for (var i = 0; i + n <= words.Length;)
        {
            if (seen.Add(NgramHash(hashes, i, n)))
            {
                i++;
            }
            else
            {
                repeated += NgramLength(words, i, n);
                i += n;
            }
        }

        return repeated;
    }

    // N-grams are compared by a 64-bit hash of their words' hashes instead of building a string for each: the rule
    // used to allocate 130 times its input. A collision between two different n-grams of one text is vanishingly rare.
    private static ulong[] WordHashes(string[] words)
    {
        var hashes = new ulong[words.Length];
        for (var w = 0; w < words.Length; w++)
        {
            var hash = 14695981039346656037UL;
            foreach (var c in words[w])
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hashes[w] = hash;
        }

        return hashes;
    }

    private static ulong NgramHash(ulong[] hashes, int start, int n)
    {
        var hash = (ulong)n;
        for (var i = start; i < start + n; i++)
        {
            hash = ((hash ^ hashes[i]) * 0x9E3779B97F4A7C15UL) + (hash >> 29);
        }

        return hash;
    }

    private static int NgramLength(string[] words, int start, int n)
    {
        var length = 0;
        for (var i = start; i < start + n; i++)
        {
            length += words[i].Length;
        }

        return length;
    }

    [GeneratedRegex(@"\n{2,}")]
    private static partial Regex Paragraphs();

    [GeneratedRegex(@"\n+")]
    private static partial Regex Lines();
}
