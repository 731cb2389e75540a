using System.Text;
using System.Text.Json;
using Curation.Core.Files;
using Curation.Training.Checkpoints;

namespace Curation.Training;

/// <summary>
/// <c>metrics.jsonl</c>: one JSON object per line, each written straight through as training goes (so it can be followed). Each
/// line is written whole: one that fails (a full disk) is cut back off, and on resume the lines after the checkpoint's
/// step, and any line a killed run left half-written, are dropped, so the file reads as one run line by line.
/// </summary>
internal sealed class MetricsLog : IDisposable
{
    private readonly string _path;
    private readonly FileStream _stream;

    private MetricsLog(string path, FileStream stream)
    {
        _path = path;
        _stream = stream;
    }

    /// <summary>A new log, replacing the one a previous run left in the folder.</summary>
    public static MetricsLog Create(string path) => Open(path, FileMode.Create);

    /// <summary>The log of a run resumed after <paramref name="step"/>: its lines up to that step, then the new ones.</summary>
    public static MetricsLog Resume(string path, int step)
    {
        if (File.Exists(path))
        {
            var lines = File.ReadAllLines(path);
            var kept = lines.Where(line => StepOf(line) is { } lineStep && lineStep <= step).ToList();
            if (kept.Count != lines.Length || (lines.Length > 0 && !EndsWithNewline(path)))
            {
                OutputFiles.WriteText(path, string.Concat(kept.Select(line => line + "\n")));
            }
        }

        return Open(path, FileMode.Append);
    }

    /// <exception cref="CurationFileException">The disk is full or the folder not writable; the line is not left half-written.</exception>
    public void Append(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + "\n");
        var length = _stream.Length;
        try
        {
            FileFaults.Guard(_path, () =>
            {
                OutputFiles.ThrowIfInjected(_path);
                _stream.Write(bytes);
            });
        }
        catch (CurationFileException)
        {
            TryCutBack(length);
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Nothing is buffered: a close that fails loses nothing.
        }
    }

    private static MetricsLog Open(string path, FileMode mode)
    {
        var stream = FileFaults.Guard(path, () => new FileStream(path, mode, FileAccess.Write, FileShare.Read, bufferSize: 0));
        return new MetricsLog(path, stream);
    }

    private void TryCutBack(long length)
    {
        try
        {
            _stream.SetLength(length);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException or UnauthorizedAccessException)
        {
            // Not a regular file or the disk refuses even this; a resume drops a half-written last line anyway.
        }
    }

    private static int? StepOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("step", out var step)
                && step.ValueKind == JsonValueKind.Number && step.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool EndsWithNewline(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length == 0)
        {
            return true;
        }

        stream.Position = stream.Length - 1;
        return stream.ReadByte() == '\n';
    }
}
