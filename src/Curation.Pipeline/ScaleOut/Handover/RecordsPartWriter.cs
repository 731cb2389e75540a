using System.Text;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.IO.Writers;

namespace Curation.Pipeline.ScaleOut.Handover;

/// <summary>
/// A last-step task's kept records, exactly as they are, for a merge that encodes them itself (Parquet, whose row
/// groups must fall where one process puts them): <see cref="EnvelopeCodec"/>'s form, read back with
/// <see cref="ShardPartsSource"/>. Written through the task's outputs, so it appears only when the task succeeded.
/// </summary>
internal sealed class RecordsPartWriter : IRecordWriter<ChatRecord>
{
    private readonly RunOutputs _outputs;
    private readonly StagedFile _file;
    private readonly BinaryWriter _writer;
    private long _records;
    private bool _sealed;

    public RecordsPartWriter(RunOutputs outputs, string path)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        _outputs = outputs;
        _file = outputs.CreateFile(path);
        _writer = new BinaryWriter(_file.Stream, Encoding.UTF8, leaveOpen: true);
    }

    public EncodedChunk Encode(IReadOnlyList<ChatRecord> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new EncodedChunk(items.ToArray(), items.Count);
    }

    public ValueTask WriteAsync(EncodedChunk chunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var records = (ChatRecord[])chunk.Items!;
        if (records.Length == 0)
        {
            return ValueTask.CompletedTask;
        }

        FileFaults.Guard(_file.FinalPath, () =>
        {
            _writer.Write(records.Length);
            foreach (var record in records)
            {
                EnvelopeCodec.Write(_writer, Envelope.Kept(_records++, record));
            }
        });
        return ValueTask.CompletedTask;
    }

    public ValueTask<OutputFileInfo> SealAsync(CancellationToken cancellationToken)
    {
        FileFaults.Guard(_file.FinalPath, _writer.Flush);
        _sealed = true;
        return ValueTask.FromResult(_outputs.Seal(_file, OutputFileRoles.Data, _records));
    }

    /// <summary>Unsealed, the part is thrown away with the task's outputs; the writer holds nothing else.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_sealed)
        {
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // A full disk while throwing the part away changes nothing.
            }
        }

        return ValueTask.CompletedTask;
    }
}
