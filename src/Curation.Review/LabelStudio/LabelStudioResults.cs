using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core.Records;
using Curation.Review.Import;

namespace Curation.Review.LabelStudio;

/// <summary>Label Studio result values, in the full form (a result list) and the reduced form of JSON_MIN and CSV.</summary>
internal static class LabelStudioResults
{
    /// <summary>Groups a full annotation's result list by control name.</summary>
    public static ImmutableSortedDictionary<string, Answer> FromResultList(JsonElement results)
    {
        var answers = new SortedDictionary<string, Answer>(StringComparer.Ordinal);
        if (results.ValueKind != JsonValueKind.Array)
        {
            return answers.ToImmutableSortedDictionary(StringComparer.Ordinal);
        }

        foreach (var result in results.EnumerateArray())
        {
            if (!result.TryGetProperty("from_name", out var fromName) || fromName.GetString() is not { } name
                || !result.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var answer = answers.GetValueOrDefault(name) ?? new Answer();
            var origin = result.TryGetProperty("origin", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;

            // A pre-filled text the reviewer kept as it was says nothing new; not holding it keeps large imports small.
            answer = origin == "prediction" && value.TryGetProperty("text", out _) && !value.TryGetProperty("choices", out _)
                ? answer with { Texts = answer.Texts.IsEmpty ? [string.Empty] : answer.Texts }
                : Merge(answer, value);
            if (origin is not null && answer.Origin is null)
            {
                answer = answer with { Origin = origin };
            }

            answers[name] = answer;
        }

        return answers.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    /// <summary>A JSON_MIN or CSV cell: a bare string, a number, {"choices"}, {"text"}, a list of value objects or of chat messages.</summary>
    public static Answer FromReduced(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString()!;
                return new Answer { Choices = [text], Texts = [text] };
            case JsonValueKind.Number:
                return new Answer { Rating = value.GetDouble() };
            case JsonValueKind.Object:
                return Merge(new Answer(), value);
            case JsonValueKind.Array:
                var answer = new Answer();
                foreach (var item in value.EnumerateArray())
                {
                    answer = item.ValueKind == JsonValueKind.Object ? Merge(answer, item)
                        : item.ValueKind == JsonValueKind.String ? answer with { Texts = answer.Texts.Add(item.GetString()!), Choices = answer.Choices.Add(item.GetString()!) }
                        : answer;
                }

                return answer;
            default:
                return new Answer();
        }
    }

    private static Answer Merge(Answer answer, JsonElement value)
    {
        if (value.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            answer = answer with { Choices = answer.Choices.AddRange(Strings(choices)) };
        }

        if (value.TryGetProperty("text", out var texts))
        {
            answer = texts.ValueKind == JsonValueKind.Array ? answer with { Texts = answer.Texts.AddRange(Strings(texts)) }
                : texts.ValueKind == JsonValueKind.String ? answer with { Texts = answer.Texts.Add(texts.GetString()!) }
                : answer;
        }

        if (value.TryGetProperty("rating", out var rating) && rating.ValueKind == JsonValueKind.Number)
        {
            answer = answer with { Rating = rating.GetDouble() };
        }

        if (value.TryGetProperty("selected", out var selected) && selected.ValueKind == JsonValueKind.String)
        {
            answer = answer with { Selected = selected.GetString() };
        }

        // A Chat message: nested under "chatmessage" in a full export's result, the message itself in the list that
        // JSON_MIN and CSV write for the question.
        var message = value.TryGetProperty("chatmessage", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : value;
        if (message.TryGetProperty("role", out var role) && message.TryGetProperty("content", out var content))
        {
            answer = answer with { Chat = answer.Chat.Add(new Message(role.GetString() ?? string.Empty, content.GetString() ?? string.Empty)) };
        }

        return answer;
    }

    private static IEnumerable<string> Strings(JsonElement array) =>
        array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!);
}
