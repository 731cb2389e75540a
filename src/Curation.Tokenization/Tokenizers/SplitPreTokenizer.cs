using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Curation.Tokenization.Tokenizers;

/// <summary>What a <see cref="SplitStep"/> does with the pieces its regex matches (Hugging Face's SplitDelimiterBehavior).</summary>
internal enum SplitBehavior
{
    Isolated,
    Removed,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

/// <summary>One split of a pre-tokenizer: every piece so far is cut at this regex's matches (or, inverted, between them).</summary>
internal sealed record SplitStep(CodePointRegex Regex, SplitBehavior Behavior = SplitBehavior.Isolated, bool Invert = false);

/// <summary>
/// Hugging Face's pre-tokenization for byte-level BPE: special tokens split off whole first, then each <see cref="SplitStep"/>
/// in turn cuts every piece the previous steps left, as a <c>Sequence</c> of <c>Split</c> and <c>ByteLevel</c> steps
/// does. Text between matches stays a piece of its own (Isolated), so no text is ever dropped. Thread-safe.
/// </summary>
internal sealed class SplitPreTokenizer : PreTokenizer
{
    private readonly Regex? _specialTokens;
    private readonly IReadOnlyList<SplitStep> _steps;

    public SplitPreTokenizer(IReadOnlyList<SplitStep> steps, IReadOnlyDictionary<string, int>? specialTokens)
    {
        _steps = steps;
        if (specialTokens is { Count: > 0 })
        {
            // Longest first, so that of two tokens starting at one place the longer wins, as Hugging Face's matcher does.
            _specialTokens = new Regex(
                string.Join('|', specialTokens.Keys.OrderByDescending(token => token.Length).ThenBy(token => token, StringComparer.Ordinal).Select(Regex.Escape)),
                RegexOptions.Compiled | RegexOptions.CultureInvariant);
        }
    }

    public IReadOnlyList<SplitStep> Steps => _steps;

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text ?? "");

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    /// <summary>The pieces of <paramref name="text"/> in order, special tokens among them as pieces of their own.</summary>
    public List<(int Offset, int Length)> Split(string text)
    {
        var pieces = new List<(int Offset, int Length)>();
        var position = 0;
        if (_specialTokens is not null)
        {
            foreach (var special in _specialTokens.EnumerateMatches(text))
            {
                SplitOrdinary(text, position, special.Index - position, pieces);
                pieces.Add((special.Index, special.Length));
                position = special.Index + special.Length;
            }
        }

        SplitOrdinary(text, position, text.Length - position, pieces);
        return pieces;
    }

    private void SplitOrdinary(string text, int start, int length, List<(int Offset, int Length)> pieces)
    {
        if (length == 0)
        {
            return;
        }

        var matches = new List<(int Start, int Length)>();
        if (_steps.Count == 1)
        {
            _steps[0].Regex.Matches(text, start, length, matches);
            Cut(start, length, matches, _steps[0], pieces);
            return;
        }

        List<(int Offset, int Length)> current = [(start, length)];
        foreach (var step in _steps)
        {
            var next = new List<(int Offset, int Length)>(current.Count * 2);
            foreach (var (offset, pieceLength) in current)
            {
                matches.Clear();
                step.Regex.Matches(text, offset, pieceLength, matches);
                Cut(offset, pieceLength, matches, step, next);
            }

            current = next;
        }

        pieces.AddRange(current);
    }

    /// <summary>Hugging Face's Split: the piece as runs that match or not, then kept, dropped or merged by behaviour.</summary>
    private static void Cut(int start, int length, List<(int Start, int Length)> matches, SplitStep step, List<(int Offset, int Length)> output)
    {
        if (step.Behavior == SplitBehavior.Isolated)
        {
            // Every run is a piece, matched or not: the common case, without building the runs.
            var at = start;
            foreach (var (matchStart, matchLength) in matches)
            {
                if (matchStart > at)
                {
                    output.Add((at, matchStart - at));
                }

                output.Add((matchStart, matchLength));
                at = matchStart + matchLength;
            }

            if (at < start + length)
            {
                output.Add((at, start + length - at));
            }

            return;
        }

        var runs = new List<(int Offset, int Length, bool IsMatch)>(matches.Count * 2 + 1);
        var position = start;
        foreach (var (matchStart, matchLength) in matches)
        {
            if (matchStart > position)
            {
                runs.Add((position, matchStart - position, step.Invert));
            }

            runs.Add((matchStart, matchLength, !step.Invert));
            position = matchStart + matchLength;
        }

        if (position < start + length)
        {
            runs.Add((position, start + length - position, step.Invert));
        }

        var first = output.Count;
        switch (step.Behavior)
        {
            case SplitBehavior.Removed:
                output.AddRange(runs.Where(run => !run.IsMatch).Select(run => (run.Offset, run.Length)));
                break;
            case SplitBehavior.MergedWithPrevious:
            case SplitBehavior.Contiguous:
                var previousMatch = false;
                foreach (var run in runs)
                {
                    var merge = step.Behavior == SplitBehavior.MergedWithPrevious ? run.IsMatch && !previousMatch : run.IsMatch == previousMatch;
                    if (merge && output.Count > first)
                    {
                        output[^1] = (output[^1].Offset, run.Offset + run.Length - output[^1].Offset);
                    }
                    else
                    {
                        output.Add((run.Offset, run.Length));
                    }

                    previousMatch = run.IsMatch;
                }

                break;
            case SplitBehavior.MergedWithNext:
                // MergedWithPrevious read from the end: a match joins the piece after it.
                var merged = new List<(int Offset, int Length)>(runs.Count);
                var nextMatch = false;
                for (var r = runs.Count - 1; r >= 0; r--)
                {
                    var run = runs[r];
                    if (run.IsMatch && !nextMatch && merged.Count > 0)
                    {
                        merged[^1] = (run.Offset, merged[^1].Offset + merged[^1].Length - run.Offset);
                    }
                    else
                    {
                        merged.Add((run.Offset, run.Length));
                    }

                    nextMatch = run.IsMatch;
                }

                merged.Reverse();
                output.AddRange(merged);
                break;
        }
    }
}
