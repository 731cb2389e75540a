using System.Globalization;
using Curation.DataGen.Model;
using Curation.DataGen.Text;

namespace Curation.DataGen.Sample;

/// <summary>Writes a conversation as one JSON record in a given format, optionally with a planted type error.</summary>
internal static class RecordSerializer
{
    public static string Line(RecordFormat format, JsonStyle style, Conversation conversation, string? id, WrongType wrong, bool writeCategory)
    {
        var builder = new JsonBuilder(style.Layout == JsonLayout.Indented ? style with { Layout = JsonLayout.Spaced } : style);
        Write(builder, format, conversation, id, wrong, writeCategory);
        return builder.ToString();
    }

    public static void Write(JsonBuilder b, RecordFormat format, Conversation c, string? id, WrongType wrong, bool writeCategory)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        switch (format)
        {
            case RecordFormat.OpenAi:
                OpenAi(b, c, id, wrong, writeCategory);
                break;
            case RecordFormat.ShareGpt:
                ShareGpt(b, c, id, wrong);
                break;
            case RecordFormat.Alpaca:
                Alpaca(b, c, wrong);
                break;
            case RecordFormat.PromptCompletion:
                b.BeginObject();
                if (wrong == WrongType.PromptAsArray)
                {
                    b.Name("prompt").BeginArray().String(c.Prompt).EndArray();
                }
                else
                {
                    b.Property("prompt", c.Prompt);
                }

                if (wrong == WrongType.CompletionAsNumber)
                {
                    b.Name("completion").Number(LastNumber(c.Response));
                }
                else
                {
                    b.Property("completion", c.Response);
                }

                b.EndObject();
                break;
            case RecordFormat.Text:
                b.BeginObject();
                if (wrong == WrongType.TextAsNumber)
                {
                    b.Name("text").Number(LastNumber(c.Response));
                }
                else
                {
                    b.Property("text", c.Response);
                }

                b.EndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "not a JSON record format");
        }
    }

    public static string ShareGptName(string role) => role switch
    {
        Roles.User => "human",
        Roles.Assistant => "gpt",
        _ => role,
    };

    private static void OpenAi(JsonBuilder b, Conversation c, string? id, WrongType wrong, bool writeCategory)
    {
        b.BeginObject();
        if (id is not null)
        {
            b.Property("id", id);
        }

        if (writeCategory)
        {
            b.Property("category", c.Category);
        }

        var turns = c.ChatTurns();
        if (wrong == WrongType.MessagesAsString)
        {
            b.Property("messages", string.Join("\n", turns.Select(t => t.Role + ": " + t.Content)));
            b.EndObject();
            return;
        }

        b.Name("messages").BeginArray();
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            b.BeginObject();
            if (wrong == WrongType.RoleAsNumber)
            {
                b.Name("role").Number(RoleNumber(turn.Role));
            }
            else
            {
                b.Property("role", turn.Role);
            }

            if (wrong == WrongType.ContentNull && i == turns.Count - 1)
            {
                b.Name("content").Raw("null");
            }
            else
            {
                b.Property("content", turn.Content);
            }

            if (turn.Weight is { } weight)
            {
                b.Property("weight", weight);
            }

            b.EndObject();
        }

        b.EndArray().EndObject();
    }

    private static void ShareGpt(JsonBuilder b, Conversation c, string? id, WrongType wrong)
    {
        b.BeginObject();
        if (id is not null)
        {
            b.Property("id", id);
        }

        var turns = c.ChatTurns();
        b.Name("conversations");
        if (wrong == WrongType.ConversationsAsObject)
        {
            b.BeginObject();
            foreach (var turn in turns)
            {
                b.Property(ShareGptName(turn.Role), turn.Content);
            }

            b.EndObject().EndObject();
            return;
        }

        b.BeginArray();
        foreach (var turn in turns)
        {
            b.BeginObject();
            if (wrong == WrongType.FromAsNumber)
            {
                b.Name("from").Number(RoleNumber(turn.Role));
            }
            else
            {
                b.Property("from", ShareGptName(turn.Role));
            }

            b.Property("value", turn.Content);
            b.EndObject();
        }

        b.EndArray().EndObject();
    }

    private static void Alpaca(JsonBuilder b, Conversation c, WrongType wrong)
    {
        var turns = c.Turns;
        var last = c.LastUserIndex();
        b.BeginObject();
        if (wrong == WrongType.InstructionNull)
        {
            b.Name("instruction").Raw("null");
        }
        else
        {
            b.Property("instruction", turns[last].Content);
        }

        b.Property("input", c.Input ?? string.Empty);
        if (wrong == WrongType.OutputAsNumber)
        {
            b.Name("output").Number(LastNumber(c.Response));
        }
        else
        {
            b.Property("output", c.Response);
        }

        if (c.System is not null)
        {
            b.Property("system", c.System);
        }

        if (last > 0)
        {
            if (wrong == WrongType.HistoryAsString)
            {
                var inner = new JsonBuilder(JsonStyle.Compact);
                History(inner, turns, last);
                b.Property("history", inner.ToString());
            }
            else
            {
                b.Name("history");
                History(b, turns, last);
            }
        }

        b.EndObject();
    }

    private static void History(JsonBuilder b, IReadOnlyList<Turn> turns, int end)
    {
        b.BeginArray();
        for (var i = 0; i + 1 < end; i += 2)
        {
            b.BeginArray().String(turns[i].Content).String(turns[i + 1].Content).EndArray();
        }

        b.EndArray();
    }

    private static long RoleNumber(string role) => role switch
    {
        Roles.System => 0,
        Roles.User => 1,
        Roles.Assistant => 2,
        _ => 3,
    };

    /// <summary>The last whole number in the text (the final answer of a worked solution), or 0.</summary>
    private static long LastNumber(string text)
    {
        var end = text.Length;
        while (end > 0 && !char.IsAsciiDigit(text[end - 1]))
        {
            end--;
        }

        var start = end;
        while (start > 0 && (char.IsAsciiDigit(text[start - 1]) || text[start - 1] == ','))
        {
            start--;
        }

        return start == end ? 0 : long.Parse(text[start..end].Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }
}
