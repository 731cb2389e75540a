using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Records;

namespace Curation.Review.Decisions;

/// <summary>One line of the store per decision or batch, and back; unknown keys are ignored so old tools read new stores.</summary>
internal static class DecisionJson
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSON value as UTF-8 bytes, without a newline.</summary>
    public static byte[] ToLine(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, ReviewDecision decision)
    {
        writer.WriteStartObject();
        writer.WriteString("record_id", decision.RecordId);
        writer.WriteString("verdict", decision.Verdict == Verdict.Accept ? "accept" : "reject");
        if (decision.Correction is { } correction)
        {
            writer.WriteString("correction", correction);
        }

        if (decision.Conversation is { } conversation)
        {
            WriteMessages(writer, "conversation", conversation);
        }

        if (decision.Rating is { } rating)
        {
            writer.WriteNumber("rating", Math.Round(rating, 3));
        }

        if (decision.Reason is { } reason)
        {
            writer.WriteString("reason", reason);
        }

        writer.WriteStartArray("reviewers");
        foreach (var reviewer in decision.Reviewers)
        {
            writer.WriteStringValue(reviewer);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("votes");
        writer.WriteNumber("accept", decision.AcceptVotes);
        writer.WriteNumber("reject", decision.RejectVotes);
        writer.WriteEndObject();
        writer.WriteNumber("agreement", Math.Round(decision.Agreement, 4));
        if (decision.Tie is { } tie)
        {
            writer.WriteString("tie", tie);
        }

        if (decision.Batch is { } batch)
        {
            writer.WriteString("batch", batch);
        }

        writer.WriteString("tool", decision.Tool);
        writer.WriteString("file", decision.File);
        writer.WriteString("task", decision.Task);
        writer.WriteEndObject();
    }

    public static void WriteMessages(Utf8JsonWriter writer, string name, IEnumerable<Message> messages)
    {
        writer.WriteStartArray(name);
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role);
            writer.WriteString("content", message.Content);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <exception cref="CurationException">The line is not a decision; the message names the file and line.</exception>
    public static ReviewDecision ReadDecision(JsonElement line, string where)
    {
        var verdict = RequiredString(line, "verdict", where) switch
        {
            "accept" => Verdict.Accept,
            "reject" => Verdict.Reject,
            var other => throw new CurationException($"{where}: verdict is '{other}'; expected accept or reject"),
        };
        ImmutableArray<Message>? conversation = line.TryGetProperty("conversation", out var turns) && turns.ValueKind == JsonValueKind.Array
            ? [.. turns.EnumerateArray().Select(turn => new Message(RequiredString(turn, "role", where), RequiredString(turn, "content", where)))]
            : null;
        var votes = line.TryGetProperty("votes", out var v) ? v : default;
        return new ReviewDecision
        {
            RecordId = RequiredString(line, "record_id", where),
            Verdict = verdict,
            Correction = OptionalString(line, "correction"),
            Conversation = conversation,
            Rating = line.TryGetProperty("rating", out var rating) && rating.ValueKind == JsonValueKind.Number ? rating.GetDouble() : null,
            Reason = OptionalString(line, "reason"),
            Reviewers = line.TryGetProperty("reviewers", out var reviewers) && reviewers.ValueKind == JsonValueKind.Array
                ? [.. reviewers.EnumerateArray().Select(r => r.GetString() ?? string.Empty)]
                : [],
            AcceptVotes = votes.ValueKind == JsonValueKind.Object && votes.TryGetProperty("accept", out var a) ? a.GetInt32() : 0,
            RejectVotes = votes.ValueKind == JsonValueKind.Object && votes.TryGetProperty("reject", out var r) ? r.GetInt32() : 0,
            Agreement = line.TryGetProperty("agreement", out var agreement) && agreement.ValueKind == JsonValueKind.Number ? agreement.GetDouble() : 1,
            Tie = OptionalString(line, "tie"),
            Batch = OptionalString(line, "batch"),
            Tool = OptionalString(line, "tool") ?? string.Empty,
            File = OptionalString(line, "file") ?? string.Empty,
            Task = OptionalString(line, "task") ?? string.Empty,
        };
    }

    public static void Write(Utf8JsonWriter writer, PreferencePair preference)
    {
        writer.WriteStartObject();
        writer.WriteString("chosen", preference.Chosen);
        writer.WriteString("rejected", preference.Rejected);
        writer.WriteStartArray("reviewers");
        foreach (var reviewer in preference.Reviewers)
        {
            writer.WriteStringValue(reviewer);
        }

        writer.WriteEndArray();
        writer.WriteStartObject("votes");
        writer.WriteNumber("chosen", preference.ChosenVotes);
        writer.WriteNumber("rejected", preference.RejectedVotes);
        writer.WriteEndObject();
        writer.WriteNumber("agreement", Math.Round(preference.Agreement, 4));
        if (preference.Batch is { } batch)
        {
            writer.WriteString("batch", batch);
        }

        writer.WriteString("tool", preference.Tool);
        writer.WriteString("file", preference.File);
        writer.WriteString("task", preference.Task);
        writer.WriteEndObject();
    }

    /// <exception cref="CurationException">The line is not a preference; the message names the file and line.</exception>
    public static PreferencePair ReadPreference(JsonElement line, string where)
    {
        var votes = line.TryGetProperty("votes", out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
        return new PreferencePair
        {
            Chosen = RequiredString(line, "chosen", where),
            Rejected = RequiredString(line, "rejected", where),
            Reviewers = line.TryGetProperty("reviewers", out var reviewers) && reviewers.ValueKind == JsonValueKind.Array
                ? [.. reviewers.EnumerateArray().Select(r => r.GetString() ?? string.Empty)]
                : [],
            ChosenVotes = votes.ValueKind == JsonValueKind.Object && votes.TryGetProperty("chosen", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0,
            RejectedVotes = votes.ValueKind == JsonValueKind.Object && votes.TryGetProperty("rejected", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : 0,
            Agreement = line.TryGetProperty("agreement", out var agreement) && agreement.ValueKind == JsonValueKind.Number ? agreement.GetDouble() : 1,
            Batch = OptionalString(line, "batch"),
            Tool = OptionalString(line, "tool") ?? string.Empty,
            File = OptionalString(line, "file") ?? string.Empty,
            Task = OptionalString(line, "task") ?? string.Empty,
        };
    }

    public static void Write(Utf8JsonWriter writer, ReviewBatch batch)
    {
        writer.WriteStartObject();
        writer.WriteString("batch", batch.Id);
        writer.WriteString("kind", batch.Kind == ReviewKind.Pairs ? "pairs" : "records");
        writer.WriteString("tool", batch.Tool);
        writer.WriteString("selection", batch.Selection);
        writer.WriteStartArray("record_ids");
        foreach (var id in batch.RecordIds)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static ReviewBatch ReadBatch(JsonElement line, string where) => new(
        RequiredString(line, "batch", where),
        OptionalString(line, "kind") == "pairs" ? ReviewKind.Pairs : ReviewKind.Records,
        OptionalString(line, "tool") ?? string.Empty,
        OptionalString(line, "selection") ?? string.Empty,
        line.TryGetProperty("record_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? [.. ids.EnumerateArray().Select(id => id.GetString() ?? string.Empty)]
            : []);

    private static string RequiredString(JsonElement element, string name, string where) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new CurationException(string.Create(CultureInfo.InvariantCulture, $"{where}: '{name}' is missing or not a string"));

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
