using System.Text.Json;
using Curation.Review.Decisions;
using Curation.Review.Queue;

namespace Curation.Review.Argilla;

/// <summary>
/// Writes a review queue as an Argilla 2.x dataset folder, laid out as <c>rg.Dataset.to_disk</c> writes it, so that
/// <c>rg.Dataset.from_disk(folder)</c> creates the dataset with its records and the pipeline's suggestions:
/// <c>.argilla/dataset.json</c>, <c>.argilla/settings.json</c> (fields, questions, metadata) and <c>records.json</c>.
/// </summary>
public static class ArgillaDatasetWriter
{
    /// <summary>The folder beside <c>records.json</c> holding the dataset's settings.</summary>
    public const string SettingsFolder = ".argilla";

    private const string Agent = "curate";

    public static IReadOnlyList<string> Write(ReviewQueue queue, string folder, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var pairs = queue.Batch.Kind == ReviewKind.Pairs;
        var config = Path.Combine(folder, SettingsFolder);
        Directory.CreateDirectory(config);
        var datasetPath = Path.Combine(config, "dataset.json");
        var settingsPath = Path.Combine(config, "settings.json");
        var recordsPath = Path.Combine(folder, ArgillaExportReader.RecordsFile);
        WriteJson(datasetPath, writer => WriteDataset(writer, datasetName, pairs));
        WriteJson(settingsPath, writer => WriteSettings(writer, pairs));
        WriteJson(recordsPath, writer =>
        {
            writer.WriteStartArray();
            foreach (var item in queue.Items)
            {
                WriteRecord(writer, item, queue.Batch.Id);
            }

            foreach (var pair in queue.Pairs)
            {
                WritePair(writer, pair, queue.Batch.Id);
            }

            writer.WriteEndArray();
        });
        return [recordsPath, settingsPath, datasetPath];
    }

    private static string Guidelines(bool pairs) => pairs
        ? "The pipeline judged these two examples near-duplicates and kept the left one. Answer 'duplicate' or 'distinct'; if duplicate, choose which one to keep."
        : "Decide whether the example belongs in the fine-tuning set. To correct the answer, edit the pre-filled correction; leave it as it is to keep the answer.";

    private static void WriteDataset(Utf8JsonWriter writer, string name, bool pairs)
    {
        writer.WriteStartObject();
        writer.WriteNull("id");
        writer.WriteNull("inserted_at");
        writer.WriteNull("updated_at");
        writer.WriteString("name", name);
        writer.WriteString("status", "draft");
        writer.WriteString("guidelines", Guidelines(pairs));
        writer.WriteBoolean("allow_extra_metadata", true);
        WriteDistribution(writer);
        writer.WriteNull("workspace_id");
        writer.WriteNull("last_activity_at");
        writer.WriteEndObject();
    }

    private static void WriteSettings(Utf8JsonWriter writer, bool pairs)
    {
        writer.WriteStartObject();
        writer.WriteString("guidelines", Guidelines(pairs));
        writer.WriteStartArray("questions");
        if (pairs)
        {
            WriteLabelQuestion(writer, "duplicate", "Are these the same example?", required: true, "duplicate", "distinct");
            WriteLabelQuestion(writer, "keep", "If duplicate, which one should stay?", required: false, "left", "right");
        }
        else
        {
            WriteLabelQuestion(writer, "decision", "Does this example belong in the training set?", required: true, "accept", "reject");
            WriteQuestion(writer, "rating", "How good is the answer (1-5)?", required: false, "rating", w =>
            {
                w.WriteStartArray("options");
                for (var value = 1; value <= 5; value++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("value", value);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            WriteQuestion(writer, "correction", "Corrected answer (leave the suggestion as it is to keep the answer)", required: false, "text", w => w.WriteBoolean("use_markdown", true));
            WriteQuestion(writer, "reason", "Why (optional)", required: false, "text", w => w.WriteBoolean("use_markdown", false));
        }

        writer.WriteEndArray();
        writer.WriteStartArray("fields");
        foreach (var (name, title) in pairs
            ? new[] { (ReviewFields.Left, "Kept by the pipeline"), (ReviewFields.Right, "Dropped as its near-duplicate") }
            : [(ReviewFields.Prompt, "Conversation"), (ReviewFields.Response, "Answer")])
        {
            writer.WriteStartObject();
            writer.WriteNull("id");
            writer.WriteNull("inserted_at");
            writer.WriteNull("updated_at");
            writer.WriteString("name", name);
            writer.WriteStartObject("settings");
            writer.WriteString("type", "text");
            writer.WriteBoolean("use_markdown", true);
            writer.WriteEndObject();
            writer.WriteString("title", title);
            writer.WriteBoolean("required", true);
            writer.WriteNull("description");
            writer.WriteNull("dataset_id");
            writer.WriteString("type", "text");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("vectors");
        writer.WriteEndArray();
        writer.WriteStartArray("metadata");
        writer.WriteStartObject();
        writer.WriteNull("id");
        writer.WriteNull("inserted_at");
        writer.WriteNull("updated_at");
        writer.WriteString("name", ReviewFields.Stage);
        writer.WriteStartObject("settings");
        writer.WriteString("type", "terms");
        writer.WriteBoolean("visible_for_annotators", true);
        writer.WriteNull("values");
        writer.WriteEndObject();
        writer.WriteString("type", "terms");
        writer.WriteString("title", "Stage that kept or rejected it");
        writer.WriteBoolean("visible_for_annotators", true);
        writer.WriteNull("dataset_id");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteBoolean("allow_extra_metadata", true);
        WriteDistribution(writer);
        writer.WriteNull("mapping");
        writer.WriteEndObject();
    }

    private static void WriteDistribution(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("distribution");
        writer.WriteString("strategy", "overlap");
        writer.WriteNumber("min_submitted", 1);
        writer.WriteEndObject();
    }

    private static void WriteLabelQuestion(Utf8JsonWriter writer, string name, string title, bool required, params string[] labels) =>
        WriteQuestion(writer, name, title, required, "label_selection", w =>
        {
            w.WriteStartArray("options");
            foreach (var label in labels)
            {
                w.WriteStartObject();
                w.WriteString("text", label);
                w.WriteString("value", label);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNull("visible_options");
        });

    private static void WriteQuestion(Utf8JsonWriter writer, string name, string title, bool required, string type, Action<Utf8JsonWriter> settings)
    {
        writer.WriteStartObject();
        writer.WriteNull("id");
        writer.WriteString("name", name);
        writer.WriteStartObject("settings");
        writer.WriteString("type", type);
        settings(writer);
        writer.WriteEndObject();
        writer.WriteString("title", title);
        writer.WriteNull("description");
        writer.WriteBoolean("required", required);
        writer.WriteNull("inserted_at");
        writer.WriteNull("updated_at");
        writer.WriteString("type", type);
        writer.WriteEndObject();
    }

    private static void WriteRecord(Utf8JsonWriter writer, ReviewItem item, string batch)
    {
        var response = ConversationText.Response(item.Record);
        writer.WriteStartObject();
        writer.WriteString("id", item.Record.Id);
        writer.WriteStartObject("fields");
        writer.WriteString(ReviewFields.Prompt, ConversationText.Prompt(item.Record));
        writer.WriteString(ReviewFields.Response, response);
        writer.WriteEndObject();
        writer.WriteStartObject("metadata");
        writer.WriteString(ReviewFields.RecordId, item.Record.Id);
        writer.WriteString(ReviewFields.Batch, batch);
        writer.WriteString(ReviewFields.SelectedBecause, item.Reason);
        writer.WriteString(ReviewFields.Stage, item.Stage);
        writer.WriteString(ReviewFields.Source, item.Record.Source.ToString());
        writer.WriteEndObject();
        writer.WriteStartObject("suggestions");
        WriteSuggestion(writer, "decision", item.Suggested == Verdict.Accept ? "accept" : "reject", item.Score);
        WriteSuggestion(writer, "correction", response, null);
        writer.WriteEndObject();
        WriteEmptyReview(writer);
        writer.WriteEndObject();
    }

    private static void WritePair(Utf8JsonWriter writer, ReviewPair pair, string batch)
    {
        writer.WriteStartObject();
        writer.WriteString("id", $"{pair.Left.Id}~{pair.Right.Id}");
        writer.WriteStartObject("fields");
        writer.WriteString(ReviewFields.Left, ConversationText.Whole(pair.Left));
        writer.WriteString(ReviewFields.Right, ConversationText.Whole(pair.Right));
        writer.WriteEndObject();
        writer.WriteStartObject("metadata");
        writer.WriteString(ReviewFields.LeftId, pair.Left.Id);
        writer.WriteString(ReviewFields.RightId, pair.Right.Id);
        writer.WriteString(ReviewFields.Batch, batch);
        writer.WriteString(ReviewFields.SelectedBecause, pair.Reason);
        writer.WriteString(ReviewFields.Stage, "near-dedup");
        writer.WriteNumber(ReviewFields.Jaccard, Math.Round(pair.Jaccard, 4));
        writer.WriteEndObject();
        writer.WriteStartObject("suggestions");
        WriteSuggestion(writer, "duplicate", "duplicate", pair.Jaccard);
        WriteSuggestion(writer, "keep", "left", null);
        writer.WriteEndObject();
        WriteEmptyReview(writer);
        writer.WriteEndObject();
    }

    private static void WriteSuggestion(Utf8JsonWriter writer, string question, string value, double? score)
    {
        writer.WriteStartObject(question);
        writer.WriteString("value", value);
        if (score is { } s)
        {
            writer.WriteNumber("score", Math.Round(s, 4));
        }
        else
        {
            writer.WriteNull("score");
        }

        writer.WriteString("agent", Agent);
        writer.WriteEndObject();
    }

    private static void WriteEmptyReview(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("responses");
        writer.WriteEndObject();
        writer.WriteStartObject("vectors");
        writer.WriteEndObject();
        writer.WriteString("status", "pending");
        writer.WriteNull("_server_id");
    }

    private static void WriteJson(string path, Action<Utf8JsonWriter> write)
    {
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = DecisionJson.WriterOptions.Encoder });
        write(writer);
    }
}
