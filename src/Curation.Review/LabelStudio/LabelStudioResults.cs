using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Curation.Core;
using Curation.Review.Import;

namespace Curation.Review.LabelStudio;

/// <summary>Label Studio result values, in the full form (a result list) and the reduced form of JSON_MIN and CSV.</summary>
internal static class LabelStudioResults
{
    /// <summary>
    /// Groups a full annotation's result list by control name. Only the questions the import reads are parsed (and
    /// type-checked); the others are kept by name only, so an export from another project can be recognised.
    /// </summary>
    public static ImmutableSortedDictionary<string, Answer> FromResultList(JsonElement results, IReadOnlySet<string> questions, string where)
    {
        var answers = new SortedDictionary<string, Answer>(StringComparer.Ordinal);
        if (results.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return answers.ToImmutableSortedDictionary(StringComparer.Ordinal);
        }

        if (results.ValueKind != JsonValueKind.Array)
        {
            throw new CurationException($"{where}: field 'result': expected a list of results, got {ExportFile.Describe(results)}");
        }

        var index = 0;
        foreach (var result in results.EnumerateArray())
        {
            index++;
            var at = string.Create(CultureInfo.InvariantCulture, $"{where}, result {index}");
            if (result.ValueKind != JsonValueKind.Object)
            {
                throw new CurationException($"{at}: expected a result object {{from_name, type, value}}, got {ExportFile.Describe(result)}");
            }

            // Results without a control name (relations between regions) answer no question.
            if (!result.TryGetProperty("from_name", out var fromName))
            {
                continue;
            }

            var name = fromName.ValueKind == JsonValueKind.String
                ? fromName.GetString()!
                : throw new CurationException($"{at}: field 'from_name': expected a string, got {ExportFile.Describe(fromName)}");
            var answer = answers.GetValueOrDefault(name) ?? new Answer();
            var origin = result.TryGetProperty("origin", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            if (questions.Contains(name))
            {
                answer = Read(answer, result, origin, at, name);
            }

            answers[name] = origin is not null && answer.Origin is null ? answer with { Origin = origin } : answer;
        }

        return answers.ToImmutableSortedDictionary(StringComparer.Ordinal);
    }

    private static Answer Read(Answer answer, JsonElement result, string? origin, string where, string name)
    {
        if (!result.TryGetProperty("value", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return answer;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CurationException($"{where}: field 'value' of '{name}': expected an object, got {ExportFile.Describe(value)}");
        }

        // A pre-filled text the reviewer kept as it was says nothing new; not holding it keeps large imports small.
        if (origin == "prediction" && value.TryGetProperty("text", out var text) && !value.TryGetProperty("choices", out _))
        {
            AnswerReader.CheckText(text, where, name);
            return answer with { Texts = answer.Texts.IsEmpty ? [string.Empty] : answer.Texts };
        }

        return AnswerReader.AddResultValue(answer, value, where, name);
    }
}
