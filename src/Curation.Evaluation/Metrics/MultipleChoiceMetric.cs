using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Curation.Evaluation.Golden;

namespace Curation.Evaluation.Metrics;

/// <summary>
/// <c>multiple_choice</c>: the label the answer chose (<see cref="ChoiceExtractor"/>) is the expected label (ignoring
/// case). Applies to items with <see cref="GoldenItem.Choices"/> and an expected answer; an answer whose choice cannot
/// be read scores 0.
/// </summary>
internal sealed class MultipleChoiceMetric : IMetric
{
    public string Name => "multiple_choice";

    public bool AppliesTo(GoldenItem item) => item.Choices.Count > 0 && item.Expected is not null;

    public double Score(GoldenItem item, string answer) =>
        ChoiceExtractor.Extract(answer, item.Choices) is { } chosen
            && string.Equals(chosen, PythonText.Strip(item.Expected!), StringComparison.OrdinalIgnoreCase) ? 1 : 0;
}

/// <summary>
/// Reads the chosen label from a reply, trying in order and taking the first rule that finds one:
/// <list type="number">
/// <item>the whole reply is a label, once trimmed of whitespace, brackets, asterisks and a final period, colon or
/// parenthesis, ignoring case: "B", "(b)", "**B**", "B.";</item>
/// <item>the last "answer" statement: the word answer (any case), an optional "is", optional colon or dash, optional
/// opening bracket or asterisks, then a label as written (case-sensitive, so "the answer is a dog" is not A) not
/// followed by a letter or digit: "Answer: B", "The answer is B.", "Final answer: **(C)**";</item>
/// <item>the reply opens with a label as written and a closing bracket, period or colon, a dash after a space, or the
/// end of the line: "B) Paris", "(C) 42", "D. none", "A - yes", "**B**" or "C" alone on the first line.</item>
/// </list>
/// Otherwise no label is read. Longer labels are tried before their prefixes.
/// </summary>
internal sealed class ChoiceExtractor
{
    private const string LabelEnd = @"(?![\p{L}\p{N}_])";

    private static readonly ConcurrentDictionary<string, ChoiceExtractor> Extractors = new(StringComparer.Ordinal);

    private readonly IReadOnlyList<string> _labels;
    private readonly Regex _statement;
    private readonly Regex _opening;

    private ChoiceExtractor(IReadOnlyList<string> labels)
    {
        _labels = labels;
        // One \s* per run of whitespace, so a reply of long blank runs cannot make the statement pattern backtrack.
        var alternatives = string.Join('|', labels.OrderByDescending(l => l.Length).ThenBy(l => l, StringComparer.Ordinal).Select(Regex.Escape));
        _statement = new Regex($@"(?i:\banswer\b)\s*(?:(?i:is)\b\s*)?(?:[:\-]\s*)?(?:[\(\[\*]+\s*)?(?<label>{alternatives}){LabelEnd}", RegexOptions.CultureInvariant);
        _opening = new Regex($@"^[\(\[\*]*(?<label>{alternatives})(?:[\)\]\.:]|\*+(?:[\s\)\.:]|$)|\s+[-–—]\s|[ \t]*\r?\n)", RegexOptions.CultureInvariant);
    }

    public static string? Extract(string answer, IReadOnlyList<string> labels) =>
        Extractors.GetOrAdd(string.Join('\n', labels), _ => new ChoiceExtractor(labels)).Extract(answer);

    private string? Extract(string answer)
    {
        var trimmed = PythonText.Strip(answer);
        var bare = trimmed.TrimStart('(', '[', '*', ' ', '\t').TrimEnd(')', ']', '*', '.', ':', ' ', '\t');
        foreach (var label in _labels)
        {
            if (string.Equals(bare, label, StringComparison.OrdinalIgnoreCase))
            {
                return label;
            }
        }

        if (_statement.Matches(trimmed) is { Count: > 0 } statements)
        {
            return statements[^1].Groups["label"].Value;
        }

        return _opening.Match(trimmed) is { Success: true } opening ? opening.Groups["label"].Value : null;
    }
}
