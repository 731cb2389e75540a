using System.Text.Json;
using Curation.Core;
using Curation.Core.Records;

namespace Curation.Review.Import;

/// <summary>
/// Reads reviewers' answers, checking the JSON type of every value: a Label Studio result value (<c>{choices}</c>,
/// <c>{text}</c>, <c>{rating}</c>, <c>{selected}</c>, <c>{chatmessage}</c>), or a flat answer as JSON_MIN, CSV and
/// Argilla write it (a bare string, number or list, read by what its question asks for). A value of another type is
/// an error naming the task, the field and what was expected, never an answer dropped in silence.
/// </summary>
internal static class AnswerReader
{
    /// <summary>Adds a Label Studio result's <c>value</c> object to what the response answered to the question.</summary>
    public static Answer AddResultValue(Answer answer, JsonElement value, string where, string question)
    {
        if (value.TryGetProperty("choices", out var choices))
        {
            answer = answer with { Choices = answer.Choices.AddRange(Strings(choices, where, $"'choices' of '{question}'")) };
        }

        if (value.TryGetProperty("text", out var text))
        {
            answer = answer with { Texts = answer.Texts.AddRange(Texts(text, where, $"'text' of '{question}'")) };
        }

        if (value.TryGetProperty("rating", out var rating))
        {
            answer = rating.ValueKind == JsonValueKind.Number
                ? answer with { Rating = rating.GetDouble() }
                : throw Expected(where, $"'rating' of '{question}'", "a number", rating);
        }

        if (value.TryGetProperty("selected", out var selected))
        {
            answer = selected.ValueKind == JsonValueKind.String
                ? answer with { Selected = selected.GetString() }
                : throw Expected(where, $"'selected' of '{question}'", "left or right (a string)", selected);
        }

        // A Chat message: nested under "chatmessage" in a full export's result, the message itself in the list that
        // JSON_MIN and CSV write for the question.
        var message = value;
        if (value.TryGetProperty("chatmessage", out var nested))
        {
            message = nested.ValueKind == JsonValueKind.Object ? nested : throw Expected(where, $"'chatmessage' of '{question}'", "an object {role, content}", nested);
        }

        if (message.TryGetProperty("role", out _) || message.TryGetProperty("content", out _))
        {
            answer = answer with { Chat = answer.Chat.Add(ChatMessage(message, where, question)) };
        }

        return answer;
    }

    /// <summary>Checks a result's <c>text</c> is a string or a list of strings, without holding it.</summary>
    public static void CheckText(JsonElement text, string where, string question)
    {
        if (text.ValueKind != JsonValueKind.String && (text.ValueKind != JsonValueKind.Array || !AllStrings(text)))
        {
            Texts(text, where, $"'text' of '{question}'");
        }
    }

    /// <summary>A flat answer to a question of <paramref name="kind"/>; null when the value is null (not answered).</summary>
    public static Answer? ReadFlat(JsonElement value, QuestionKind kind, string where, string question)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var answer = kind switch
        {
            QuestionKind.Choice => value.ValueKind switch
            {
                JsonValueKind.String => new Answer { Choices = [value.GetString()!] },
                JsonValueKind.Array when AllStrings(value) => new Answer { Choices = [.. Strings(value, where, $"'{question}'")] },
                _ => ValueObjects(value, where, question),
            },
            QuestionKind.Text => value.ValueKind switch
            {
                JsonValueKind.String => new Answer { Texts = [value.GetString()!] },
                JsonValueKind.Array when AllStrings(value) => new Answer { Texts = [.. Strings(value, where, $"'{question}'")] },
                _ => ValueObjects(value, where, question),
            },
            QuestionKind.Rating => value.ValueKind == JsonValueKind.Number ? new Answer { Rating = value.GetDouble() } : ValueObjects(value, where, question),
            QuestionKind.Pairwise => value.ValueKind == JsonValueKind.String ? new Answer { Selected = value.GetString() } : ValueObjects(value, where, question),
            _ => value.ValueKind == JsonValueKind.Array ? ValueObjects(value, where, question) : null,
        };
        return answer is not null && Holds(answer, kind, value)
            ? answer
            : throw Expected(where, $"'{question}'", Expectation(kind), value);
    }

    // Label Studio's value objects, alone or in a list (JSON_MIN keeps them for ratings, pairwise answers, several
    // choices or texts and chats); null when the value is neither.
    private static Answer? ValueObjects(JsonElement value, string where, string question)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return AddResultValue(new Answer(), value, where, question);
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.Object))
        {
            return null;
        }

        return value.EnumerateArray().Aggregate(new Answer(), (answer, item) => AddResultValue(answer, item, where, question));
    }

    // An empty list is an answer with nothing chosen; anything else must hold what the question asks for.
    private static bool Holds(Answer answer, QuestionKind kind, JsonElement value) =>
        (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0)
        || kind switch
        {
            QuestionKind.Choice or QuestionKind.Text => answer.Choices.Length + answer.Texts.Length > 0,
            QuestionKind.Rating => answer.Rating is not null,
            QuestionKind.Pairwise => answer.Selected is not null,
            _ => answer.Chat.Length == value.GetArrayLength(),
        };

    private static string Expectation(QuestionKind kind) => kind switch
    {
        QuestionKind.Choice => "a choice (a string or a list of strings)",
        QuestionKind.Text => "a text (a string)",
        QuestionKind.Rating => "a rating (a number)",
        QuestionKind.Pairwise => "left or right (a string, or [{\"selected\": \"left\"}])",
        _ => "a list of chat messages, each {\"role\": …, \"content\": …}",
    };

    private static Message ChatMessage(JsonElement message, string where, string question)
    {
        var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String
            ? r.GetString()!
            : throw Expected(where, $"'role' of a '{question}' message", "a string", r);
        var content = message.TryGetProperty("content", out var c) && c.ValueKind is JsonValueKind.String or JsonValueKind.Null
            ? c.GetString() ?? string.Empty
            : throw Expected(where, $"'content' of a '{question}' message", "a string", c);
        return new Message(role, content);
    }

    private static bool AllStrings(JsonElement array) => array.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String);

    private static List<string> Strings(JsonElement value, string where, string field)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Expected(where, field, "a list of strings", value);
        }

        return value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
            ? item.GetString()!
            : throw Expected(where, field, "a list of strings", item, " in the list")).ToList();
    }

    private static List<string> Texts(JsonElement value, string where, string field) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => Strings(value, where, field),
        _ => throw Expected(where, field, "a string or a list of strings", value),
    };

    private static CurationException Expected(string where, string field, string expected, JsonElement got, string place = "") =>
        new($"{where}: field {field}: expected {expected}, got {ExportFile.Describe(got)}{place}");
}
