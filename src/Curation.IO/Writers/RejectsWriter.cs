using System.Text.Json;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.IO.Formats;

namespace Curation.IO.Writers;

/// <summary>
/// Writes the rejects file: one JSON line per dropped record with the stage, the rule, the detail, where it came
/// from, and what it was: the record in OpenAI shape, or the raw input when it never became a record.
/// <code>{"stage","rule","detail","source":{"file","line"|"row"|"element"},"id"?,"record"?,"raw"?,"raw_base64"?}</code>
/// </summary>
public sealed class RejectsWriter : IRecordWriter<Reject>
{
    private static readonly JsonEncodedText Stage = JsonEncodedText.Encode("stage");
    private static readonly JsonEncodedText Rule = JsonEncodedText.Encode("rule");
    private static readonly JsonEncodedText Detail = JsonEncodedText.Encode("detail");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText File = JsonEncodedText.Encode("file");
    private static readonly JsonEncodedText Record = JsonEncodedText.Encode("record");
    private static readonly JsonEncodedText Raw = JsonEncodedText.Encode("raw");
    private static readonly JsonEncodedText RawBase64 = JsonEncodedText.Encode("raw_base64");
    private static readonly Action<Utf8JsonWriter, Reject> WriteRejectAction = WriteReject;

    private readonly OutputFile _file;

    public RejectsWriter(RunOutputs outputs, string path)
    {
        _file = new OutputFile(outputs, path, OutputFileRoles.Rejects, OutputCompression.None);
    }

    /// <summary>The path the finished file will have.</summary>
    public string Path => _file.Path;

    public EncodedChunk Encode(IReadOnlyList<Reject> items) => JsonLines.Encode(items, WriteRejectAction);

    public ValueTask WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken) => _file.WriteChunkAsync(chunk, cancellationToken);

    public ValueTask<OutputFileInfo> SealAsync(CancellationToken cancellationToken) => _file.SealAsync(cancellationToken);

    public ValueTask DisposeAsync() => _file.DisposeAsync();

    private static void WriteReject(Utf8JsonWriter writer, Reject reject)
    {
        writer.WriteStartObject();
        writer.WriteString(Stage, reject.Stage);
        writer.WriteString(Rule, reject.Rule);
        JsonText.WriteString(writer, Detail, reject.Detail);
        writer.WriteStartObject(Source);
        writer.WriteString(File, reject.Source.File);
        writer.WriteNumber(reject.Source.UnitName, reject.Source.Position);
        writer.WriteEndObject();
        if (reject.Record is { } record)
        {
            writer.WriteString(JsonOutput.Id, record.Id);
            writer.WritePropertyName(Record);
            OpenAiMessagesFormat.Write(writer, record, JsonlEncodingOptions.Default);
        }

        if (reject.RawText is { } raw)
        {
            JsonText.WriteString(writer, Raw, raw);
        }

        if (reject.RawBase64 is { } rawBase64)
        {
            writer.WriteString(RawBase64, rawBase64);
        }

        writer.WriteEndObject();
    }
}
