using System.Text;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;

namespace Curation.Pipeline.ScaleOut.Handover;

/// <summary>
/// Writes the envelopes one step hands on for one shard: batches of envelopes in input order, records and rejects
/// alike, in <see cref="EnvelopeCodec"/>'s exact form. Written under a temporary name; <see cref="Commit"/> renames it
/// into place, so a part that exists is whole.
/// </summary>
internal sealed class EnvelopePartWriter : IEnvelopeSink, IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _file;
    private readonly BinaryWriter _writer;
    private bool _committed;

    public EnvelopePartWriter(string path)
    {
        _path = Path.GetFullPath(path);
        _temporary = _path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _file = new FileStream(_temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        _writer = new BinaryWriter(_file, Encoding.UTF8, leaveOpen: true);
    }

    public long Envelopes { get; private set; }

    public ValueTask WriteAsync(Envelope[] batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Write(batch);
        return ValueTask.CompletedTask;
    }

    public void Write(ReadOnlySpan<Envelope> batch)
    {
        if (batch.Length == 0)
        {
            return;
        }

        try
        {
            _writer.Write(batch.Length);
            foreach (var envelope in batch)
            {
                EnvelopeCodec.Write(_writer, envelope);
            }
        }
        catch (IOException ex) when (FileFaults.Describe(ex, _path) is { } message)
        {
            throw new Core.CurationException(message, ex);
        }

        Envelopes += batch.Length;
    }

    /// <summary>Flushes the part to disk and gives it its final name.</summary>
    public void Commit()
    {
        FileFaults.Guard(_path, () =>
        {
            _writer.Flush();
            _file.Flush(flushToDisk: true);
            _writer.Dispose();
            _file.Dispose();
            File.Move(_temporary, _path, overwrite: true);
        });
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        try
        {
            _writer.Dispose();
            _file.Dispose();
        }
        catch (IOException)
        {
            // The part is thrown away; a full disk must not hide the fault that stopped the step.
        }

        TemporaryFiles.TryDelete(_temporary, isFolder: false);
    }
}
