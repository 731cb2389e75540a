using System.Collections.Immutable;
using System.Text.Json;
using Curation.Core;
using Curation.Review.Import;

namespace Curation.Review.Argilla;

/// <summary>
/// Reads Argilla 2.x reviews: the <c>records.json</c> of a <c>Dataset.to_disk</c> folder (responses per question,
/// each <c>{value, user_id, status?}</c>), or the flattened rows of <c>to_datasets</c> / the Hugging Face Hub as JSON
/// or JSONL (<c>q.responses</c>, <c>q.responses.users</c>, <c>q.responses.status</c>; suggestions are the pipeline's
/// own and are not read back). A user's responses to a record get one status as Argilla gives it on load
/// (<c>UserResponse._compute_status_from_responses</c>): the one status they state, and a draft when they state none
/// (as <c>to_disk</c> writes them) or several that differ. Only submitted responses vote.
/// </summary>
public static class ArgillaExportReader
{
    public const string RecordsFile = "records.json";

    /// <summary>The export's records as tasks, read as they are needed.</summary>
    public static IEnumerable<ReviewedTask> Read(string path, ReviewSchema schema)
    {
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, RecordsFile);
            if (!File.Exists(path))
            {
                throw new CurationException($"{path}: not found: expected the records.json of an Argilla Dataset.to_disk folder");
            }
        }

        ArgumentNullException.ThrowIfNull(schema);
        var name = Path.GetFileName(path);
        var records = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            ? ExportFile.ParseJsonLines(path)
            : ExportFile.StreamArray(path, "a JSON array of Argilla records");
        return records.Select((record, index) => Task(record, $"{name}: record {index + 1}", index, schema));
    }

    private static ReviewedTask Task(JsonElement record, string where, int index, ReviewSchema schema)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new CurationException($"{where}: expected an Argilla record object, got {ExportFile.Describe(record)}");
        }

        var id = ExportFile.OptionalId(record, "id", where);
        var label = id is null ? where : $"{where} (id {id})";
        var task = record.TryGetProperty("responses", out var nested) && nested.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? Nested(record, nested, label, schema)
            : Flattened(record, label, schema);
        return task with { TaskId = id ?? (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    private static ReviewedTask Nested(JsonElement record, JsonElement responses, string where, ReviewSchema schema)
    {
        var keep = schema.DataFields;
        var data = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var section in new[] { "fields", "metadata" })
        {
            if (!record.TryGetProperty(section, out var values) || values.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (values.ValueKind != JsonValueKind.Object)
            {
                throw new CurationException($"{where}: field '{section}': expected an object, got {ExportFile.Describe(values)}");
            }

            foreach (var property in values.EnumerateObject().Where(p => keep.Contains(p.Name)))
            {
                data[property.Name] = property.Value.Clone();
            }
        }

        if (responses.ValueKind != JsonValueKind.Object)
        {
            throw new CurationException($"{where}: field 'responses': expected an object {{question: [responses]}}, got {ExportFile.Describe(responses)}");
        }

        var byUser = new SortedDictionary<string, UserResponses>(StringComparer.Ordinal);
        foreach (var question in responses.EnumerateObject())
        {
            if (question.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (question.Value.ValueKind != JsonValueKind.Array)
            {
                throw new CurationException($"{where}: field 'responses.{question.Name}': expected a list of responses, got {ExportFile.Describe(question.Value)}");
            }

            foreach (var response in question.Value.EnumerateArray())
            {
                if (response.ValueKind != JsonValueKind.Object)
                {
                    throw new CurationException($"{where}: field 'responses.{question.Name}': expected responses {{value, user_id, status}}, got {ExportFile.Describe(response)} in the list");
                }

                var user = response.TryGetProperty("user_id", out var u) ? ExportFile.Reviewer(u) : "unknown";
                var status = response.TryGetProperty("status", out var s) ? Status(s, where) : null;
                Add(byUser, user, status, question.Name, response.TryGetProperty("value", out var value) ? value : default, where, schema);
            }
        }

        return Build(where, data.ToImmutable(), byUser);
    }

    private static ReviewedTask Flattened(JsonElement record, string where, ReviewSchema schema)
    {
        var keep = schema.DataFields;
        var data = ImmutableSortedDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        var byUser = new SortedDictionary<string, UserResponses>(StringComparer.Ordinal);
        foreach (var property in record.EnumerateObject())
        {
            var name = property.Name;
            if (name.EndsWith(".responses", StringComparison.Ordinal))
            {
                var question = name[..^".responses".Length];
                var values = property.Value;
                var users = record.TryGetProperty(name + ".users", out var u) ? u : default;
                var statuses = record.TryGetProperty(name + ".status", out var s) ? s : default;
                if (values.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (values.ValueKind != JsonValueKind.Array)
                {
                    throw new CurationException($"{where}: field '{name}': expected a list of response values, got {ExportFile.Describe(values)}");
                }

                for (var i = 0; i < values.GetArrayLength(); i++)
                {
                    var user = users.ValueKind == JsonValueKind.Array && i < users.GetArrayLength() ? ExportFile.Reviewer(users[i]) : "unknown";
                    var status = statuses.ValueKind == JsonValueKind.Array && i < statuses.GetArrayLength() ? Status(statuses[i], where) : null;
                    Add(byUser, user, status, question, values[i], where, schema);
                }
            }
            else if (!name.Contains(".responses", StringComparison.Ordinal) && !name.Contains(".suggestion", StringComparison.Ordinal)
                && keep.Contains(name))
            {
                data[name] = property.Value.Clone();
            }
        }

        return Build(where, data.ToImmutable(), byUser);
    }

    // Only the questions the import reads are parsed (and type-checked); others are kept by name only, so an export
    // from another project can be recognised.
    private static void Add(
        SortedDictionary<string, UserResponses> byUser, string user, ResponseStatus? status, string question, JsonElement value, string where, ReviewSchema schema)
    {
        if (!byUser.TryGetValue(user, out var entry))
        {
            entry = new UserResponses();
            byUser[user] = entry;
        }

        entry.Statuses.Add(status);
        entry.Answers[question] = schema.Questions.Contains(question) && value.ValueKind != JsonValueKind.Undefined
            ? AnswerReader.ReadFlat(value, schema.KindOf(question), $"{where}, response by {user}", question) ?? new Answer()
            : new Answer();
    }

    private static ReviewedTask Build(string where, ImmutableSortedDictionary<string, JsonElement> data, SortedDictionary<string, UserResponses> byUser) =>
        new(where, data, [.. byUser.Select(u => new ReviewerResponse(u.Key, u.Value.Status, u.Value.Answers.ToImmutableSortedDictionary(StringComparer.Ordinal))
        {
            StatusUnstated = u.Value.Unstated,
        })])
        {
            TaskId = string.Empty,
        };

    /// <summary>A response's status; null when it states none.</summary>
    private static ResponseStatus? Status(JsonElement status, string where) => status.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => status.GetString() switch
        {
            "submitted" => ResponseStatus.Submitted,
            "draft" => ResponseStatus.Draft,
            "discarded" => ResponseStatus.Discarded,
            var other => throw new CurationException($"{where}: response status '{other}'; expected submitted, draft or discarded"),
        },
        _ => throw new CurationException($"{where}: field 'status': expected submitted, draft or discarded, got {ExportFile.Describe(status)}"),
    };

    /// <summary>One user's responses to one record, question by question.</summary>
    private sealed class UserResponses
    {
        public List<ResponseStatus?> Statuses { get; } = [];

        public SortedDictionary<string, Answer> Answers { get; } = new(StringComparer.Ordinal);

        public ResponseStatus Status => Statuses.OfType<ResponseStatus>().Distinct().ToList() is [var only] ? only : ResponseStatus.Draft;

        public bool Unstated => Statuses.TrueForAll(s => s is null);
    }
}
