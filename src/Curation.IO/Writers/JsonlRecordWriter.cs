using System.Text.Json;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.IO.Formats;

namespace Curation.IO.Writers;

/// <summary>
/// Writes records as JSON lines in the OpenAI, Alpaca or ShareGPT shape: UTF-8 without BOM, one compact object
/// per line, each ending in '\n', non-ASCII text unescaped. Optionally gzip or zstd compressed.
/// </summary>
public sealed class JsonlRecordWriter : IRecordWriter<ChatRecord>
{
    /// <summary>The rule a pipeline rejects a record under when <see cref="CanRepresent"/> says the output format cannot hold it.</summary>
    public const string UnrepresentableRule = "unrepresentable";

    private readonly OutputFile _file;
    private readonly OutputFormat _format;
    private readonly JsonlEncodingOptions _options;
    private readonly Action<Utf8JsonWriter, ChatRecord> _writeRecord;
    private readonly Func<PooledByteBuffer, ChatRecord, bool>? _tryWriteDirect;

    public JsonlRecordWriter(RunOutputs outputs, string path, OutputFormat format, OutputCompression compression = OutputCompression.None, JsonlEncodingOptions? options = null)
    {
        if (format == OutputFormat.Parquet)
        {
            throw new ArgumentException("parquet output is written by ParquetRecordWriter", nameof(format));
        }

        _format = format;
        _options = options ?? JsonlEncodingOptions.Default;
        _writeRecord = WriteRecord;
        _tryWriteDirect = format == OutputFormat.OpenAi ? TryWriteDirect : null;
        _file = new OutputFile(outputs, path, OutputFileRoles.Data, compression);
    }

    /// <summary>The path the finished file will have.</summary>
    public string Path => _file.Path;

    /// <summary>
    /// Whether a record fits the output format without losing anything: alpaca holds an optional system prompt and
    /// user/assistant pairs only; ShareGPT has no per-turn names; OpenAI and Parquet hold every record.
    /// </summary>
    public static bool CanRepresent(ChatRecord record, OutputFormat format, out string reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        switch (format)
        {
            case OutputFormat.Alpaca:
                return AlpacaFormat.CanRepresent(record, out reason);
            case OutputFormat.ShareGpt:
                return ShareGptFormat.CanRepresent(record, out reason);
            default:
                reason = string.Empty;
                return true;
        }
    }

    /// <exception cref="InvalidOperationException">A record the format cannot hold: the pipeline must reject those first.</exception>
    public EncodedChunk Encode(IReadOnlyList<ChatRecord> items) => JsonLines.Encode(items, _writeRecord, _tryWriteDirect);

    public ValueTask WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken) => _file.WriteChunkAsync(chunk, cancellationToken);

    public ValueTask<OutputFileInfo> SealAsync(CancellationToken cancellationToken) => _file.SealAsync(cancellationToken);

    public ValueTask DisposeAsync() => _file.DisposeAsync();

    private bool TryWriteDirect(PooledByteBuffer buffer, ChatRecord record) => CompactOpenAiLine.TryWrite(buffer, record, _options);

    private void WriteRecord(Utf8JsonWriter writer, ChatRecord record)
    {
        if (!CanRepresent(record, _format, out var reason))
        {
            throw new InvalidOperationException(
                $"{record.Source}: record '{record.Id}' cannot be written as {_format}: {reason}; it should have been rejected under '{UnrepresentableRule}'");
        }

        switch (_format)
        {
            case OutputFormat.Alpaca:
                AlpacaFormat.Write(writer, record, _options);
                break;
            case OutputFormat.ShareGpt:
                ShareGptFormat.Write(writer, record, _options);
                break;
            default:
                OpenAiMessagesFormat.Write(writer, record, _options);
                break;
        }
    }
}
