using System.Text.Encodings.Web;
using System.Text.Json;
using Curation.Core.Files;
using Curation.Core.Runtime;

namespace Curation.Core.Manifest;

/// <summary>Writes <c>manifest.json</c> beside the outputs.</summary>
public static class ManifestWriter
{
    public const string FileName = "manifest.json";

    /// <summary>The manifest's role among a run's outputs.</summary>
    public const string Role = RunOutputs.ManifestRole;

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the manifest to <paramref name="path"/> in one piece (temporary file, then rename).</summary>
    /// <exception cref="CurationException">No space or no permission: one line naming the file.</exception>
    public static string Write(RunManifest manifest, string path)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        AtomicFile.Write(path, stream => Write(manifest, stream));
        return path;
    }

    public static void Write(RunManifest manifest, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var writer = new Utf8JsonWriter(stream, Options);
        WriteManifest(writer, manifest);
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

        writer.WriteString("status", manifest.Outcome switch
        {
            RunOutcome.Completed => "completed",
            RunOutcome.Cancelled => "incomplete: cancelled",
            RunOutcome.Suspect => "failed: result not trusted",
            _ => "failed",
        });
        if ((manifest.Error ?? result.Error) is { } error)
        {
            writer.WriteString("error", error);
        }

        if (manifest.PreviousOutputs.Count > 0)
        {
            writer.WriteStartArray("previous_outputs_kept");
            foreach (var previous in manifest.PreviousOutputs)
            {
                writer.WriteStringValue(previous);
            }

            writer.WriteEndArray();
        }

        if (manifest.PartialOutputsRemoved)
        {
            writer.WriteBoolean("partial_outputs_removed", true);
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

        if (manifest.SkippedInputs.Count > 0)
        {
            writer.WriteStartArray("inputs_skipped");
            foreach (var skipped in manifest.SkippedInputs)
            {
                writer.WriteStringValue(skipped);
            }

            writer.WriteEndArray();
        }

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
        foreach (var output in manifest.Outputs)
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
        if (result.ReadRejectsByFile.Count > 0)
        {
            writer.WriteStartObject("read_rejects_by_file");
            foreach (var (file, rules) in result.ReadRejectsByFile.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(file);
                foreach (var (rule, count) in rules)
                {
                    writer.WriteNumber(rule, count);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

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
