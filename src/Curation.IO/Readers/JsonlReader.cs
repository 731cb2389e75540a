using System.Runtime.CompilerServices;
using Curation.Core.Records;

namespace Curation.IO.Readers;

/// <summary>
/// Splits JSON Lines into items: one per line ('\n', with a trailing '\r' dropped), numbered from 1, blank lines
/// skipped, a last line without a newline included. Lines are not parsed or validated: their bytes reach the decoder
/// exactly as written, broken or not.
/// </summary>
internal sealed class JsonlReader
{
    private readonly string _file;
    private readonly int _bufferBytes;

    public JsonlReader(string file, int bufferBytes = ReaderLimits.ReadBufferBytes)
    {
        _file = file;
        _bufferBytes = bufferBytes;
    }

    public IAsyncEnumerable<RawItem[]> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        ReadAsync(stream, linesBefore: 0, cancellationToken);

    /// <param name="linesBefore">Lines of the file already consumed before <paramref name="stream"/> starts.</param>
    public async IAsyncEnumerable<RawItem[]> ReadAsync(Stream stream, long linesBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var window = new StreamWindow(stream, _file, _bufferBytes);
        using var batch = new ItemBatchBuilder();
        var line = linesBefore;
        var scanned = 0;
        await window.FillAsync(cancellationToken).ConfigureAwait(false);
        if (linesBefore == 0)
        {
            window.SkipUtf8Bom();
        }

        while (true)
        {
            while (SplitLines(window, batch, ref line, ref scanned))
            {
                yield return batch.Flush();
            }

            if (window.EndOfStream)
            {
                break;
            }

            await window.FillAsync(cancellationToken).ConfigureAwait(false);
        }

        if (window.Length > 0)
        {
            line++;
            AddLine(batch, window.Span, line);
            window.Consume(window.Length);
        }

        if (batch.Count > 0)
        {
            yield return batch.Flush();
        }
    }

    /// <summary>Moves complete lines into the batch; true when the batch filled up, false when no complete line is left.</summary>
    private bool SplitLines(StreamWindow window, ItemBatchBuilder batch, ref long line, ref int scanned)
    {
        while (true)
        {
            var span = window.Span;
            var found = span[scanned..].IndexOf((byte)'\n');
            if (found < 0)
            {
                // Remember how far we looked so a long line is not rescanned after each refill.
                scanned = span.Length;
                return false;
            }

            var end = scanned + found;
            line++;
            AddLine(batch, span[..end], line);
            window.Consume(end + 1);
            scanned = 0;
            if (batch.IsFull)
            {
                return true;
            }
        }
    }

    private void AddLine(ItemBatchBuilder batch, ReadOnlySpan<byte> text, long line)
    {
        if (text.Length > 0 && text[^1] == (byte)'\r')
        {
            text = text[..^1];
        }

        if (JsonWhitespace.IsBlank(text))
        {
            return;
        }

        batch.Add(text, new SourceRef(_file, line, SourceUnit.Line));
    }
}
