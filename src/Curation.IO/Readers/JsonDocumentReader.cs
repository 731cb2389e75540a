using System.Runtime.CompilerServices;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Records;
using Curation.IO.Compression;

namespace Curation.IO.Readers;

/// <summary>
/// Reads a <c>.json</c> file. A top-level array is streamed element by element (each element's raw bytes is one
/// item, <see cref="SourceUnit.Element"/> numbered from 1). Anything else is one value (one item, element 1) or, when
/// more values follow it, JSON Lines. A syntax error in an array cannot be skipped past, so it fails the file.
/// </summary>
internal sealed class JsonDocumentReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 512 };

    private readonly string _file;
    private readonly int _bufferBytes;

    public JsonDocumentReader(string file, int bufferBytes = ReaderLimits.ReadBufferBytes)
    {
        _file = file;
        _bufferBytes = bufferBytes;
    }

    private enum ScanResult
    {
        NeedMoreData,
        BatchFull,
        Done,
    }

    public async IAsyncEnumerable<RawItem[]> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var window = new StreamWindow(stream, _file, _bufferBytes);
        await window.FillAsync(cancellationToken).ConfigureAwait(false);
        window.SkipUtf8Bom();

        // Leading whitespace is consumed (counting its lines) so that a huge blank file does not grow the window.
        long linesBefore = 0;
        int first;
        while ((first = JsonWhitespace.IndexOfContent(window.Span)) < 0)
        {
            linesBefore += window.Span.Count((byte)'\n');
            window.Consume(window.Length);
            if (!await window.FillAsync(cancellationToken).ConfigureAwait(false))
            {
                yield break;
            }
        }

        linesBefore += window.Span[..first].Count((byte)'\n');
        window.Consume(first);

        var items = window.Span[0] == (byte)'['
            ? ReadArrayAsync(window, linesBefore, cancellationToken)
            : ReadValueOrLinesAsync(window, stream, linesBefore, cancellationToken);
        await foreach (var batch in items.ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    private async IAsyncEnumerable<RawItem[]> ReadArrayAsync(StreamWindow window, long linesBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var batch = new ItemBatchBuilder();
        var state = new JsonReaderState(ReaderOptions);
        long elements = 0;
        while (true)
        {
            var result = ScanArray(window, batch, ref state, ref elements, linesBefore);
            if (result == ScanResult.BatchFull)
            {
                yield return batch.Flush();
            }
            else if (result == ScanResult.Done)
            {
                break;
            }
            else
            {
                await window.FillAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (batch.Count > 0)
        {
            yield return batch.Flush();
        }
    }

    private async IAsyncEnumerable<RawItem[]> ReadValueOrLinesAsync(
        StreamWindow window,
        Stream stream,
        long linesBefore,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int valueLength;
        while ((valueLength = MeasureFirstValue(window, linesBefore)) < 0)
        {
            await window.FillAsync(cancellationToken).ConfigureAwait(false);
        }

        // The first value stays in the window while we look past it: only whitespace means one value, anything
        // else means JSON Lines, replayed from the window's start.
        var probe = valueLength;
        while (JsonWhitespace.IndexOfContent(window.Span[probe..]) < 0)
        {
            probe = window.Length;
            if (!await window.FillAsync(cancellationToken).ConfigureAwait(false))
            {
                using var batch = new ItemBatchBuilder();
                batch.Add(window.Span[..valueLength], new SourceRef(_file, 1, SourceUnit.Element));
                yield return batch.Flush();
                yield break;
            }
        }

        var replay = new PrefixedReadStream(window.Memory, stream);
        await foreach (var lines in new JsonlReader(_file, _bufferBytes).ReadAsync(replay, linesBefore, cancellationToken).ConfigureAwait(false))
        {
            yield return lines;
        }
    }

    /// <summary>Moves whole array elements from the window into the batch.</summary>
    private ScanResult ScanArray(StreamWindow window, ItemBatchBuilder batch, ref JsonReaderState state, ref long elements, long linesBefore)
    {
        var reader = new Utf8JsonReader(window.Span, window.EndOfStream, state);
        try
        {
            while (true)
            {
                var checkpoint = reader.CurrentState;
                var checkpointBytes = (int)reader.BytesConsumed;
                if (!reader.Read())
                {
                    state = reader.CurrentState;
                    window.Consume((int)reader.BytesConsumed);
                    return window.EndOfStream ? ScanResult.Done : ScanResult.NeedMoreData;
                }

                if (reader.CurrentDepth == 0)
                {
                    continue;
                }

                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
                {
                    // The element is not all in the window yet: rewind to before it and read more.
                    state = checkpoint;
                    window.Consume(checkpointBytes);
                    return ScanResult.NeedMoreData;
                }

                elements++;
                var end = (int)reader.BytesConsumed;
                batch.Add(window.Span[start..end], new SourceRef(_file, elements, SourceUnit.Element));
                if (batch.IsFull)
                {
                    state = reader.CurrentState;
                    window.Consume(end);
                    return ScanResult.BatchFull;
                }
            }
        }
        catch (JsonException e)
        {
            throw Invalid(elements + 1, linesBefore, window.Offset + reader.BytesConsumed, e, hint: null);
        }
    }

    /// <summary>Length of the first top-level value in the window, or -1 when it is not complete yet.</summary>
    private int MeasureFirstValue(StreamWindow window, long linesBefore)
    {
        var reader = new Utf8JsonReader(window.Span, window.EndOfStream, new JsonReaderState(ReaderOptions));
        try
        {
            if (!reader.Read())
            {
                return -1;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
            {
                return -1;
            }

            return (int)reader.BytesConsumed;
        }
        catch (JsonException e)
        {
            throw Invalid(1, linesBefore, window.Offset + reader.BytesConsumed, e,
                hint: "a .json file holds one JSON value, an array of values, or JSON Lines");
        }
    }

    private CurationException Invalid(long element, long linesBefore, long offset, JsonException e, string? hint)
    {
        var line = linesBefore + (e.LineNumber ?? 0) + 1;
        var what = e.Message;
        var cut = what.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            what = what[..cut].TrimEnd();
        }

        var suffix = hint is null ? string.Empty : $" ({hint})";
        return new CurationException($"{_file}: element {element} (line {line}, byte {offset}): invalid JSON: {what}{suffix}", e);
    }
}
