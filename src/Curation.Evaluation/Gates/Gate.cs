using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Curation.Evaluation.Gates;

/// <summary>
/// One quality gate: two sums of figures compared, as in
/// <c>finetuned.exact_match &gt;= gpt-4o-mini.exact_match - 0.02</c>. A figure is <c>ARM.METRIC</c> (the mean),
/// <c>ARM.METRIC.lower</c> or <c>.upper</c> (the bootstrap interval's bounds), an arm figure such as
/// <c>ARM.error_rate</c> or <c>ARM.p95_latency_ms</c>, <c>leaks</c> (golden items found in the training data), or a
/// number. Arm names may hold <c>-</c> and <c>.</c>, so minus as an operator needs spaces around it.
/// </summary>
internal sealed partial class Gate
{
    private static readonly string[] Comparisons = [">=", "<=", "==", "!=", ">", "<"];

    private Gate(string text, Sum left, string comparison, Sum right)
    {
        Text = text;
        Left = left;
        Comparison = comparison;
        Right = right;
    }

    public string Text { get; }

    private Sum Left { get; }

    private string Comparison { get; }

    private Sum Right { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with a one-line reason.</summary>
    public static Gate Parse(string text, IReadOnlyCollection<string> arms)
    {
        var comparison = Comparisons.FirstOrDefault(op => text.Contains(op, StringComparison.Ordinal))
            ?? throw new FormatException("expected a comparison (>=, >, <=, <, ==, !=) between two figures");
        var at = text.IndexOf(comparison, StringComparison.Ordinal);
        var left = ParseSum(text[..at], arms);
        var right = ParseSum(text[(at + comparison.Length)..], arms);
        return new Gate(text.Trim(), left, comparison, right);
    }

    /// <summary>The problem with <paramref name="text"/>, or null when it parses.</summary>
    public static string? Check(string text, IReadOnlyCollection<string> arms)
    {
        try
        {
            Parse(text, arms);
            return null;
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }

    public GateOutcome Evaluate(IGateFigures figures)
    {
        var left = Left.Evaluate(figures);
        var right = Right.Evaluate(figures);
        if ((left.Missing ?? right.Missing) is { } missing)
        {
            return new GateOutcome(Text, false, $"{missing}: no such figure in this run");
        }

        var passed = Comparison switch
        {
            ">=" => left.Value >= right.Value,
            "<=" => left.Value <= right.Value,
            ">" => left.Value > right.Value,
            "<" => left.Value < right.Value,
            "==" => left.Value == right.Value,
            _ => left.Value != right.Value,
        };
        return new GateOutcome(Text, passed, $"{left.Shown} {Comparison} {right.Shown}");
    }

    private static Sum ParseSum(string text, IReadOnlyCollection<string> arms)
    {
        var tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tokens.Length == 0)
        {
            throw new FormatException("a side of the comparison is empty");
        }

        var terms = new List<(int Sign, Term Term)>();
        var sign = 1;
        var expectOperand = true;
        foreach (var token in tokens)
        {
            if (!expectOperand)
            {
                sign = token switch
                {
                    "+" => 1,
                    "-" => -1,
                    _ => throw new FormatException($"expected + or - (with spaces around) before '{token}'"),
                };
                expectOperand = true;
                continue;
            }

            terms.Add((sign, ParseTerm(token, arms)));
            expectOperand = false;
        }

        return expectOperand ? throw new FormatException("an operator has nothing after it") : new Sum(terms);
    }

    private static Term ParseTerm(string token, IReadOnlyCollection<string> arms)
    {
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new Term(null, null, null, number);
        }

        if (token == "leaks")
        {
            return new Term(null, "leaks", null, 0);
        }

        var arm = arms.Where(name => token.StartsWith(name + ".", StringComparison.Ordinal)).MaxBy(name => name.Length)
            ?? throw new FormatException($"'{token}': expected ARM.METRIC[.lower|.upper], a number or leaks; arms: {string.Join(", ", arms)}");
        var rest = token[(arm.Length + 1)..];
        string? bound = null;
        foreach (var suffix in new[] { "lower", "upper", "mean" })
        {
            if (rest.EndsWith("." + suffix, StringComparison.Ordinal))
            {
                bound = suffix;
                rest = rest[..^(suffix.Length + 1)];
            }
        }

        return MetricName().IsMatch(rest)
            ? new Term(arm, rest, bound, 0)
            : throw new FormatException($"'{token}': '{rest}' is not a metric name");
    }

    [GeneratedRegex("^[a-z][a-z0-9_:-]*$")]
    private static partial Regex MetricName();

    private sealed record Term(string? Arm, string? Figure, string? Bound, double Number)
    {
        public (double Value, string? Missing) Evaluate(IGateFigures figures)
        {
            if (Figure is null)
            {
                return (Number, null);
            }

            if (Arm is null)
            {
                return (figures.Leaks, null);
            }

            var value = figures.Value(Arm, Figure, Bound ?? "mean");
            return value is { } found ? (found, null) : (double.NaN, Name);
        }

        public string Name => Figure is null ? Number.ToString(CultureInfo.InvariantCulture)
            : Arm is null ? Figure
            : Bound is null ? $"{Arm}.{Figure}" : $"{Arm}.{Figure}.{Bound}";
    }

    private sealed record Sum(IReadOnlyList<(int Sign, Term Term)> Terms)
    {
        public (double Value, string? Missing, string Shown) Evaluate(IGateFigures figures)
        {
            var total = 0.0;
            var shown = new StringBuilder();
            foreach (var (sign, term) in Terms)
            {
                var (value, missing) = term.Evaluate(figures);
                if (missing is not null)
                {
                    return (double.NaN, missing, string.Empty);
                }

                total += sign * value;
                if (shown.Length > 0 || sign < 0)
                {
                    shown.Append(sign < 0 ? " - " : " + ");
                }

                shown.Append(CultureInfo.InvariantCulture, $"{value:0.####}");
            }

            return (total, null, Terms.Count > 1 ? $"{shown} = {total:0.####}" : shown.ToString());
        }
    }
}

/// <summary>The figures a gate can read: per arm, a metric's mean or interval bound, or an arm figure.</summary>
internal interface IGateFigures
{
    /// <param name="bound"><c>mean</c>, <c>lower</c> or <c>upper</c>.</param>
    double? Value(string arm, string figure, string bound);

    int Leaks { get; }
}

/// <param name="Detail">The figures compared, e.g. <c>0.612 &gt;= 0.64 - 0.02 = 0.62</c>.</param>
internal sealed record GateOutcome(string Gate, bool Passed, string Detail);
