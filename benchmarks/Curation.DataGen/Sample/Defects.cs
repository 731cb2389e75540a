using System.Text;
using System.Text.RegularExpressions;
using Curation.DataGen.Model;

namespace Curation.DataGen.Sample;

/// <summary>Edits that turn a clean conversation into a planted problem.</summary>
internal static partial class Defects
{
    public const string Boilerplate = "I hope this helps! Let me know if you have any other questions.";

    private static readonly (string From, string To)[] Synonyms =
    [
        (" usually ", " typically "), (" check ", " verify "), (" also ", " additionally "), (" shows ", " displays "),
        (" make sure ", " ensure "), (" quickly ", " rapidly "), (" help ", " assist "), (" start ", " begin "),
        (" get ", " receive "), (" need ", " require "), (" first ", " initially "), (" whole ", " entire "),
        (" the ", " this "),
    ];

    private static readonly Dictionary<char, string> Decompositions = new()
    {
        ['é'] = "e\u0301",
        ['è'] = "e\u0300",
        ['ê'] = "e\u0302",
        ['á'] = "a\u0301",
        ['à'] = "a\u0300",
        ['â'] = "a\u0302",
        ['í'] = "i\u0301",
        ['î'] = "i\u0302",
        ['ó'] = "o\u0301",
        ['ô'] = "o\u0302",
        ['ú'] = "u\u0301",
        ['ñ'] = "n\u0303",
        ['ü'] = "u\u0308",
        ['ö'] = "o\u0308",
        ['ä'] = "a\u0308",
        ['ç'] = "c\u0327",
        ['ë'] = "e\u0308",
        ['ï'] = "i\u0308",
        ['É'] = "E\u0301",
        ['Ö'] = "O\u0308",
        ['Ü'] = "U\u0308",
    };

    /// <summary>Replaces one word of the last assistant turn with a synonym.</summary>
    public static Conversation ChangeOneWord(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var response = c.Response;
        foreach (var (from, to) in Synonyms)
        {
            var at = response.IndexOf(from, StringComparison.Ordinal);
            if (at >= 0)
            {
                return c.WithResponse(string.Concat(response.AsSpan(0, at), to, response.AsSpan(at + from.Length)));
            }
        }

        throw new InvalidOperationException("No replaceable word in the response.");
    }

    /// <summary>Lower-cases the first user turn and flips its final punctuation (a bare term gets its first letter's case flipped).</summary>
    public static Conversation ChangeCaseAndPunctuation(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var turns = c.Turns.ToList();
        var i = FirstPromptIndex(turns);
        var text = turns[i].Content;
        if (text.Length < 40 && !text.EndsWith('?') && !text.EndsWith('.'))
        {
            text = (char.IsUpper(text[0]) ? char.ToLowerInvariant(text[0]) : char.ToUpperInvariant(text[0])) + text[1..];
        }
        else
        {
            text = text.ToLowerInvariant();
            text = text.EndsWith('?') || text.EndsWith('.') ? text[..^1] : text + "?";
        }

        turns[i] = turns[i] with { Content = text };
        return c with { Turns = turns };
    }

    /// <summary>Doubles some spaces and adds a blank line in the last assistant turn.</summary>
    public static Conversation ChangeWhitespace(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var response = c.Response;
        var builder = new StringBuilder(response.Length + 16);
        var spaces = 0;
        foreach (var ch in response)
        {
            builder.Append(ch);
            if (ch == ' ' && spaces++ % 7 == 3)
            {
                builder.Append(' ');
            }
        }

        var paragraph = builder.ToString().IndexOf("\n\n", StringComparison.Ordinal);
        var edited = paragraph >= 0 ? builder.Insert(paragraph, "\n").ToString() : builder.Append("\n\n").ToString().TrimEnd(' ');
        return c.WithResponse(edited);
    }

    public static Conversation AppendBoilerplate(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.WithResponse(c.Response + "\n\n" + Boilerplate);
    }

    public static Conversation CrLf(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.MapText(t => t.Replace("\n", "\r\n", StringComparison.Ordinal));
    }

    /// <summary>Puts zero-width spaces inside a few longer words of the user and assistant text.</summary>
    public static Conversation ZeroWidth(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.MapText(text =>
        {
            var count = 0;
            return LongWord().Replace(text, m => count++ % 5 == 0 ? m.Value[..3] + "\u200B" + m.Value[3..] : m.Value);
        });
    }

    public static Conversation BomInText(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var turns = c.Turns.ToList();
        var i = FirstPromptIndex(turns);
        turns[i] = turns[i] with { Content = "\uFEFF" + turns[i].Content };
        return c with { Turns = turns };
    }

    /// <summary>Adds terminal residue: an ANSI colour code, a bell, a vertical tab or a NUL, depending on <paramref name="variant"/>.</summary>
    public static Conversation ControlChars(Conversation c, int variant)
    {
        ArgumentNullException.ThrowIfNull(c);
        var turns = c.Turns.ToList();
        var i = FirstPromptIndex(turns);
        var text = turns[i].Content;
        text = (variant % 4) switch
        {
            0 => "\u001b[1;31mURGENT\u001b[0m " + text,
            1 => text + "\u0007",
            2 => text.Replace(". ", ".\u000B", StringComparison.Ordinal) + (text.Contains(". ", StringComparison.Ordinal) ? string.Empty : "\u000B"),
            _ => text + "\u0000",
        };
        turns[i] = turns[i] with { Content = text };
        return c with { Turns = turns };
    }

    /// <summary>Writes accented letters in decomposed form; returns null when the text has none to decompose.</summary>
    public static Conversation? Decompose(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var changed = false;
        var result = c.MapText(text =>
        {
            var builder = new StringBuilder(text.Length + 8);
            foreach (var ch in text)
            {
                if (Decompositions.TryGetValue(ch, out var decomposed) && decomposed.Length == 2)
                {
                    builder.Append(decomposed);
                    changed = true;
                }
                else
                {
                    builder.Append(ch);
                }
            }

            return builder.ToString();
        });
        return changed ? result : null;
    }

    /// <summary>Adds spaces or a tab at the end of every line; leading indentation is untouched.</summary>
    public static Conversation TrailingSpaces(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.MapText(text =>
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                lines[i] += (i % 3) switch { 0 => "  ", 1 => " ", _ => "\t" };
            }

            return string.Join('\n', lines);
        });
    }

    /// <summary>Inserts <paramref name="sentence"/> at the end of the first user turn.</summary>
    public static Conversation AppendToUser(Conversation c, string sentence)
    {
        ArgumentNullException.ThrowIfNull(c);
        var turns = c.Turns.ToList();
        var i = FirstPromptIndex(turns);
        turns[i] = turns[i] with { Content = turns[i].Content + " " + sentence };
        return c with { Turns = turns };
    }

    public static Conversation DropAssistantTurns(Conversation c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var firstUser = c.Turns.First(t => t.Role == Roles.User);
        return c with { Turns = [firstUser] };
    }

    /// <summary>Inserts a second user message right after the first one.</summary>
    public static Conversation DoubleUserTurn(Conversation c, string second)
    {
        ArgumentNullException.ThrowIfNull(c);
        var turns = c.Turns.ToList();
        var i = FirstPromptIndex(turns);
        turns.Insert(i + 1, Turn.User(second));
        return c with { Turns = turns };
    }

    public static Conversation RenameRole(Conversation c, string role, string replacement)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c with { Turns = c.Turns.Select(t => t.Role == role ? t with { Role = replacement } : t).ToList() };
    }

    /// <summary>Renames the role of the first turn that has <paramref name="role"/>, leaving later ones alone.</summary>
    public static Conversation RenameFirstRole(Conversation c, string role, string replacement)
    {
        ArgumentNullException.ThrowIfNull(c);
        var turns = c.Turns.ToList();
        var i = turns.FindIndex(t => t.Role == role);
        turns[i] = turns[i] with { Role = replacement };
        return c with { Turns = turns };
    }

    /// <summary>The first user turn, or the first turn of a document with no user turn.</summary>
    private static int FirstPromptIndex(List<Turn> turns) => Math.Max(0, turns.FindIndex(t => t.Role == Roles.User));

    [GeneratedRegex(@"\b[a-z]{7,}\b")]
    private static partial Regex LongWord();
}
