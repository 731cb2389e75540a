using System.Text.RegularExpressions;
using Curation.DataGen.Model;

namespace Curation.DataGen.Sample;

/// <summary>
/// Guards the README's counts: a record that is not planted must not trip any of the filters the planted records are
/// there for. A failure here is a generator bug, so it throws.
/// </summary>
internal static partial class CleanRecordCheck
{
    public const int MinResponseChars = 20;
    public const int MaxTurnChars = 12_000;

    public static void Verify(string file, Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var turns = c.Turns;
        var expected = turns.Count == 1 && turns[0].Role == Roles.Assistant ? Roles.Assistant : Roles.User;
        foreach (var turn in turns)
        {
            if (turn.Role != expected)
            {
                Fail(file, c, $"turn order: expected {expected}, got {turn.Role}");
            }

            expected = expected == Roles.User ? Roles.Assistant : Roles.User;
        }

        if (turns[^1].Role != Roles.Assistant)
        {
            Fail(file, c, "no final assistant turn");
        }

        if (c.Response.Trim().Length < MinResponseChars)
        {
            Fail(file, c, "response too short");
        }

        foreach (var text in c.ChatTurns().Select(t => t.Content))
        {
            CheckText(file, c, text);
        }
    }

    private static void CheckText(string file, Conversation c, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Fail(file, c, "empty text");
        }

        if (text.Length > MaxTurnChars)
        {
            Fail(file, c, $"turn of {text.Length} chars");
        }

        foreach (var ch in text)
        {
            if ((char.IsControl(ch) && ch != '\n' && ch != '\t') || ch is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF'
                || (ch >= '\u0300' && ch <= '\u036F'))
            {
                Fail(file, c, $"character U+{(int)ch:X4}");
            }
        }

        if (TrailingSpace().IsMatch(text))
        {
            Fail(file, c, "trailing whitespace on a line");
        }

        if (text.Contains("as an ai", StringComparison.OrdinalIgnoreCase) || text.Contains("I cannot", StringComparison.Ordinal)
            || text.Contains("I can't assist", StringComparison.Ordinal) || text.Contains("I apologize", StringComparison.Ordinal))
        {
            Fail(file, c, "refusal phrase");
        }

        if (text.Contains(Defects.Boilerplate, StringComparison.Ordinal))
        {
            Fail(file, c, "boilerplate sentence");
        }

        foreach (var (name, pattern) in Patterns)
        {
            var match = pattern.Match(text);
            if (match.Success && (name != "card" || Luhn(match.Value)))
            {
                Fail(file, c, $"{name} '{match.Value}'");
            }
        }
    }

    /// <summary>The PII patterns the clean records are kept free of; the README lists them.</summary>
    public static readonly (string Name, Regex Pattern)[] Patterns =
    [
        ("email", Email()),
        ("phone", Phone()),
        ("card", Card()),
        ("ipv4", Ipv4()),
    ];

    private static bool Luhn(string number)
    {
        var digits = number.Where(char.IsAsciiDigit).Select(d => d - '0').Reverse().ToArray();
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = i % 2 == 1 ? digits[i] * 2 : digits[i];
            sum += d > 9 ? d - 9 : d;
        }

        return sum % 10 == 0;
    }

    private static void Fail(string file, Conversation c, string problem) =>
        throw new InvalidOperationException($"{file}: a clean record has a {problem}: {c.Turns[0].Content[..Math.Min(80, c.Turns[0].Content.Length)]}");

    [GeneratedRegex(@"[ \t]+(\n|$)")]
    private static partial Regex TrailingSpace();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\w.])(\+\d{1,3}[ .-]?)?(\(\d{2,4}\)|\d{2,4})[ .-]\d{3,4}[ .-]\d{3,4}(?!\w|\.\d)")]
    private static partial Regex Phone();

    [GeneratedRegex(@"\b(?:\d[ -]?){12,18}\d\b")]
    private static partial Regex Card();

    [GeneratedRegex(@"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")]
    private static partial Regex Ipv4();
}
