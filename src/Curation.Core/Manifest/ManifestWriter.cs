using System.Text.Encodings.Web;
using System.Text.Json;
using Curation.Core.Runtime;

namespace Curation.Core.Manifest;

/// <summary>Writes <c>manifest.json</c> beside the outputs (temporary file, then rename).</summary>
public static class ManifestWriter
{
    public const string FileName = "manifest.json";

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(RunManifest manifest, string directory)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var temp = Path.Combine(directory, "." + FileName + ".tmp");
        using (var stream = File.Create(temp))
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            WriteManifest(writer, manifest);
        }

        File.Move(temp, path, overwrite: true);
        return path;
    }

    public static void WriteManifest(Utf8JsonWriter writer, RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(manifest);
        var result = manifest.Result;
        var pipeline = manifest.Pipeline;

        writer.WriteStartObject();
        writer.WriteStartObject("tool");
        writer.WriteString("name", "curate");
        writer.WriteString("version", manifest.ToolVersion);
        writer.WriteEndObject();

        writer.WriteString("status", result.Status switch
        {
            RunStatus.Completed => "completed",
            RunStatus.Cancelled => "incomplete: cancelled",
            _ => "failed",
        });
        if (result.Error is not null)
        {
            writer.WriteString("error", result.Error);
        }

        writer.WriteStartObject("pipeline");
        writer.WriteString("file", pipeline.File);
        writer.WriteString("name", pipeline.Name);
        writer.WriteString("config_sha256", pipeline.Hash);
        writer.WriteString("file_sha256", manifest.PipelineFileSha256);
        writer.WritePropertyName("config");
        using (var config = JsonDocument.Parse(pipeline.CanonicalJson))
        {
            config.RootElement.WriteTo(writer);
        }

        writer.WriteEndObject();

        writer.WriteNumber("seed", pipeline.Seed);
        writer.WriteNumber("workers", manifest.Workers);
        writer.WriteString("started_at", result.StartedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteString("finished_at", manifest.FinishedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteNumber("elapsed_seconds", Math.Round(result.Elapsed.TotalSeconds, 3));

        writer.WriteStartArray("inputs");
        foreach (var input in result.Inputs)
        {
            writer.WriteStartObject();
            writer.WriteString("path", input.Path);
            writer.WriteNumber("bytes", input.Bytes);
            writer.WriteString("sha256", input.Sha256);
            writer.WriteNumber("items", input.Items);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("stages");
        foreach (var stage in result.Stats.Stages)
        {
            writer.WriteStartObject();
            writer.WriteString("name", stage.Stage);
            writer.WriteNumber("input", stage.Input);
            writer.WriteNumber("kept", stage.Kept);
            writer.WriteNumber("rejected", stage.Rejected);
            if (stage.Restored > 0)
            {
                writer.WriteNumber("restored", stage.Restored);
            }

            writer.WriteBoolean("balanced", stage.Balances);
            writer.WriteStartObject("rejects_by_rule");
            foreach (var (rule, count) in stage.RejectsByRule)
            {
                writer.WriteNumber(rule, count);
            }

            writer.WriteEndObject();
            writer.WriteNumber("busy_seconds", Math.Round(stage.Busy.TotalSeconds, 3));
            if (stage.Notes.Count > 0)
            {
                writer.WriteStartArray("notes");
                foreach (var note in stage.Notes)
                {
                    writer.WriteStringValue(note);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("outputs");
        foreach (var output in result.Outputs.Concat(result.Stats.Stages.SelectMany(stage => stage.Files)))
        {
            writer.WriteStartObject();
            writer.WriteString("path", output.Path);
            writer.WriteString("role", output.Role);
            writer.WriteNumber("bytes", output.Bytes);
            writer.WriteString("sha256", output.Sha256);
            writer.WriteNumber("records", output.Records);
            writer.WriteBoolean("complete", output.Complete);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartObject("balance");
        writer.WriteBoolean("ok", result.BalanceProblems.Count == 0 && result.Status == RunStatus.Completed);
        writer.WriteNumber("read", result.Stats.Stages.Count > 0 ? result.Stats.Stages[0].Input : 0);
        writer.WriteNumber("written", result.RecordsWritten);
        writer.WriteNumber("rejected", result.RejectsWritten);
        writer.WriteStartArray("problems");
        foreach (var problem in result.BalanceProblems)
        {
            writer.WriteStringValue(problem);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
