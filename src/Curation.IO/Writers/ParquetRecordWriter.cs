using System.Text;
using System.Text.Json;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Parquet;

namespace Curation.IO.Writers;

/// <summary>
/// Writes records to a Parquet file (<see cref="ParquetChatSchema"/>), one row group per
/// <see cref="RowGroupSize"/> records. Encode renders metadata and sources on the workers; rows are buffered
/// and written in order.
/// </summary>
public sealed class ParquetRecordWriter : IRecordWriter<ChatRecord>
{
    public const int DefaultRowGroupSize = 50_000;

    private const string EmptyMetadata = "{}";

    private readonly OutputFile _file;
    private readonly List<ParquetRow> _pending = [];
    private ParquetWriter? _writer;
    private bool _completed;

    public ParquetRecordWriter(RunOutputs outputs, string path, int rowGroupSize = DefaultRowGroupSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        RowGroupSize = rowGroupSize;
        _file = new OutputFile(outputs, path, OutputFileRoles.Data, OutputCompression.None);
    }

    public int RowGroupSize { get; }

    /// <summary>The path the finished file will have.</summary>
    public string Path => _file.Path;

    public EncodedChunk Encode(IReadOnlyList<ChatRecord> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var rows = new ParquetRow[items.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var record = items[i];
            rows[i] = new ParquetRow(record.Id, record.Messages, MetadataText(record), record.Source.ToString());
        }

        return new EncodedChunk(rows, rows.Length);
    }

    public async ValueTask WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (chunk.Items is not ParquetRow[] rows)
        {
            throw new ArgumentException("the chunk was not encoded by this writer", nameof(chunk));
        }

        foreach (var row in rows)
        {
            _pending.Add(row);
            if (_pending.Count >= RowGroupSize)
            {
                await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask<OutputFileInfo> SealAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        await FlushRowGroupAsync(cancellationToken).ConfigureAwait(false);
        var writer = await GetWriterAsync(cancellationToken).ConfigureAwait(false);

        // Disposing the Parquet writer writes the footer, which makes even an incomplete file readable.
        await writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        return await _file.SealAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            try
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The file is being abandoned and deleted.
            }

            _writer = null;
        }

        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask FlushRowGroupAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var writer = await GetWriterAsync(cancellationToken).ConfigureAwait(false);
        await ParquetChatSchema.WriteRowGroupAsync(writer, _pending, cancellationToken).ConfigureAwait(false);
        _file.AddRecords(_pending.Count);
        _pending.Clear();
    }

    private async ValueTask<ParquetWriter> GetWriterAsync(CancellationToken cancellationToken) =>
        _writer ??= await ParquetWriter.CreateAsync(ParquetChatSchema.Schema, _file.Body, ParquetChatSchema.Options, append: false, cancellationToken).ConfigureAwait(false);

    private static string MetadataText(ChatRecord record)
    {
        if (record.Metadata.IsEmpty)
        {
            return EmptyMetadata;
        }

        var buffer = new PooledByteBuffer(1024);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            JsonOutput.WriteMetadataObject(writer, record.Metadata);
        }

        var bytes = buffer.Detach();
        try
        {
            return Encoding.UTF8.GetString(bytes.Span);
        }
        finally
        {
            PooledByteBuffer.Return(bytes);
        }
    }
}
