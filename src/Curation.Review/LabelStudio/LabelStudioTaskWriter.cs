using System.Text.Json;
using Curation.Core.Records;
using Curation.Review.Decisions;
using Curation.Review.Queue;

namespace Curation.Review.LabelStudio;

/// <summary>
/// Writes a review queue as Label Studio tasks (<c>tasks.json</c>, imported as it is) with the pipeline's suggestion
/// as a prediction, and the matching labelling interface (<c>labeling-config.xml</c>).
/// </summary>
public static class LabelStudioTaskWriter
{
    public const string TasksFile = "tasks.json";
    public const string ConfigFile = "labeling-config.xml";
    private const string ModelVersion = "curate";

    public static IReadOnlyList<string> Write(ReviewQueue queue, string folder)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Directory.CreateDirectory(folder);
        var tasksPath = Path.Combine(folder, TasksFile);
        using (var stream = File.Create(tasksPath))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = DecisionJson.WriterOptions.Encoder, Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var item in queue.Items)
            {
                WriteRecordTask(writer, item, queue.Batch.Id);
            }

            foreach (var pair in queue.Pairs)
            {
                WritePairTask(writer, pair, queue.Batch.Id);
            }

            writer.WriteEndArray();
        }

        var configPath = Path.Combine(folder, ConfigFile);
        File.WriteAllText(configPath, (queue.Batch.Kind == ReviewKind.Pairs ? LabelStudioConfig.Pairs : LabelStudioConfig.Records) + "\n");
        return [tasksPath, configPath];
    }

    private static void WriteRecordTask(Utf8JsonWriter writer, ReviewItem item, string batch)
    {
        var response = ConversationText.Response(item.Record);
        writer.WriteStartObject();
        writer.WriteStartObject("data");
        writer.WriteString(ReviewFields.RecordId, item.Record.Id);
        writer.WriteString(ReviewFields.Batch, batch);
        writer.WriteString(ReviewFields.SelectedBecause, item.Reason);
        writer.WriteString(ReviewFields.Stage, item.Stage);
        writer.WriteString(ReviewFields.Source, item.Record.Source.ToString());
        WriteTurns(writer, ReviewFields.Messages, item.Record);
        writer.WriteString(ReviewFields.Response, response);
        writer.WriteEndObject();
        writer.WriteStartArray("predictions");
        writer.WriteStartObject();
        writer.WriteString("model_version", ModelVersion);
        if (item.Score is { } score)
        {
            writer.WriteNumber("score", Math.Round(score, 4));
        }

        writer.WriteStartArray("result");
        WriteResult(writer, "decision", "dialogue", "choices", w => WriteStrings(w, "choices", item.Suggested == Verdict.Accept ? "accept" : "reject"));
        WriteResult(writer, "correction", "dialogue", "textarea", w => WriteStrings(w, "text", response));
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WritePairTask(Utf8JsonWriter writer, ReviewPair pair, string batch)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("data");
        writer.WriteString(ReviewFields.LeftId, pair.Left.Id);
        writer.WriteString(ReviewFields.RightId, pair.Right.Id);
        writer.WriteString(ReviewFields.Batch, batch);
        writer.WriteString(ReviewFields.SelectedBecause, pair.Reason);
        writer.WriteNumber(ReviewFields.Jaccard, Math.Round(pair.Jaccard, 4));
        WriteTurns(writer, ReviewFields.Left, pair.Left);
        WriteTurns(writer, ReviewFields.Right, pair.Right);
        writer.WriteEndObject();
        writer.WriteStartArray("predictions");
        writer.WriteStartObject();
        writer.WriteString("model_version", ModelVersion);
        writer.WriteNumber("score", Math.Round(pair.Jaccard, 4));
        writer.WriteStartArray("result");
        WriteResult(writer, "duplicate", "left", "choices", w => WriteStrings(w, "choices", "duplicate"));
        WriteResult(writer, "keep", "keep", "pairwise", w => w.WriteString("selected", "left"));
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteTurns(Utf8JsonWriter writer, string name, ChatRecord record) => DecisionJson.WriteMessages(writer, name, record.Messages);

    private static void WriteResult(Utf8JsonWriter writer, string fromName, string toName, string type, Action<Utf8JsonWriter> value)
    {
        writer.WriteStartObject();
        writer.WriteString("from_name", fromName);
        writer.WriteString("to_name", toName);
        writer.WriteString("type", type);
        writer.WriteStartObject("value");
        value(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, string value)
    {
        writer.WriteStartArray(name);
        writer.WriteStringValue(value);
        writer.WriteEndArray();
    }
}
