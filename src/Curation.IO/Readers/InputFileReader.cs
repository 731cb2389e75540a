using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Stages;
using Curation.IO.Compression;
using Curation.IO.Inputs;
using Curation.IO.Readers.Parquet;

namespace Curation.IO.Readers;

/// <summary>
/// Reads one input file: opens it, hashes and counts its raw bytes as they stream past, decompresses by signature,
/// hands the content to the reader for its type, and records an <see cref="InputFileInfo"/> when done.
/// </summary>
internal sealed class InputFileReader
{
    private readonly string _fullPath;
    private readonly InputFileType _type;
    private readonly InputOptions _options;
    private readonly bool _allowEmpty;
    private readonly Action<long>? _progress;

    public InputFileReader(string path, InputOptions options, bool allowEmpty, Action<long>? progress)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        _fullPath = Path.GetFullPath(path);
        Display = DisplayPath.For(_fullPath);
        if (!InputFileType.TryFromPath(_fullPath, out _type))
        {
            throw new CurationException($"{Display}: unsupported input file type (supported: {InputFileType.SupportedList})");
        }

        _options = options;
        _allowEmpty = allowEmpty;
        _progress = progress;
    }

    /// <summary>The path as written into source references.</summary>
    public string Display { get; }

    /// <summary>Size, hash and item count; set once the file has been read to the end.</summary>
    public InputFileInfo? Info { get; private set; }

    public async IAsyncEnumerable<RawItem[]> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long items = 0;
        if (_type.Kind == InputFileKind.Parquet)
        {
            long bytes;
            var file = Open();
            await using (file.ConfigureAwait(false))
            {
                bytes = file.Length;
                if (bytes > 0)
                {
                    await foreach (var batch in new ParquetRowReader(Display).ReadAsync(file, bytes, _progress, cancellationToken).ConfigureAwait(false))
                    {
                        items += batch.Length;
                        yield return batch;
                    }
                }
            }

            // Parquet is read by seeking (footer first), so its hash takes a separate sequential pass.
            Finish(bytes, await HashFileAsync(cancellationToken).ConfigureAwait(false), items);
            yield break;
        }

        var raw = new HashingReadStream(Open(), _progress);
        await using (raw.ConfigureAwait(false))
        {
            var content = await Decompression.OpenAsync(raw, _type.Compression, Display, cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                await foreach (var batch in ReadContentAsync(content, cancellationToken).ConfigureAwait(false))
                {
                    items += batch.Length;
                    yield return batch;
                }
            }

            await raw.DrainAsync(cancellationToken).ConfigureAwait(false);
            Finish(raw.BytesRead, raw.HashHex(), items);
        }
    }

    private IAsyncEnumerable<RawItem[]> ReadContentAsync(Stream content, CancellationToken cancellationToken) => _type.Kind switch
    {
        InputFileKind.JsonLines => new JsonlReader(Display).ReadAsync(content, cancellationToken),
        InputFileKind.Json => new JsonDocumentReader(Display).ReadAsync(content, cancellationToken),
        _ => new CsvRowReader(Display, CsvDelimiter.Resolve(_options.Delimiter, _type.Kind == InputFileKind.Tsv))
            .ReadAsync(content, cancellationToken),
    };

    private void Finish(long bytes, string sha256, long items)
    {
        if (items == 0 && !_allowEmpty)
        {
            throw new CurationException($"{Display}: empty file: expected at least one record");
        }

        Info = new InputFileInfo(Display, bytes, sha256, items);
    }

    private FileStream Open()
    {
        try
        {
            return new FileStream(_fullPath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CurationException($"{Display}: cannot open the input file: {e.Message}", e);
        }
    }

    private async Task<string> HashFileAsync(CancellationToken cancellationToken)
    {
        var file = Open();
        await using (file.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
        }
    }
}
