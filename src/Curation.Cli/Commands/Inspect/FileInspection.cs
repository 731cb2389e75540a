using Curation.Core.Files;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO;
using Curation.IO.Formats;
using Curation.IO.Inputs;

namespace Curation.Cli.Commands.Inspect;

/// <summary>Counts gathered by reading one file through the same reader and decoder a pipeline uses.</summary>
internal sealed class FileInspection
{
    /// <summary>Upper bounds (exclusive) of the content-length buckets, in characters; the last bucket is open.</summary>
    public static readonly int[] LengthBuckets = [64, 256, 1024, 4096, 16384, 65536];

    public required string File { get; init; }

    public required long Bytes { get; init; }

    public required InputFormat RequestedFormat { get; init; }

    public long Items { get; private set; }

    public long Records { get; private set; }

    public SortedDictionary<string, long> Formats { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> Roles { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, List<Reject>> Rejects { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<int, long> Turns { get; } = [];

    public long[] LengthHistogram { get; } = new long[LengthBuckets.Length + 1];

    public static async Task<FileInspection> RunAsync(InputOptions options, CancellationToken cancellationToken)
    {
        var path = InputResolver.Resolve(options, Environment.CurrentDirectory) switch
        {
            [var single] => single,
            var many => throw new Core.CurationException($"{options.Path}: matches {many.Count} files; inspect takes one file"),
        };
        var decoder = new RecordDecoder(options);
        var detector = new FormatDetector(options.Fields);
        var inspection = new FileInspection { File = DisplayPath.For(path), Bytes = new FileInfo(path).Length, RequestedFormat = options.Format };
        await foreach (var batch in FileRecordSource.ReadFileAsync(path, options, allowEmpty: true, cancellationToken))
        {
            foreach (var item in batch)
            {
                inspection.Add(item, decoder.Decode(item, inspection.Items), detector);
            }

            FileRecordSource.ReleaseBatch(batch);
        }

        return inspection;
    }

    private void Add(in RawItem item, Envelope envelope, FormatDetector detector)
    {
        Items++;
        if (envelope.Reject is { } reject)
        {
            if (!Rejects.TryGetValue(reject.Rule, out var list))
            {
                Rejects[reject.Rule] = list = [];
            }

            list.Add(reject);
            return;
        }

        var record = envelope.Record!;
        Records++;
        var format = RequestedFormat == InputFormat.Auto ? detector.Detect(item.Utf8Json.Span) ?? InputFormat.Auto : RequestedFormat;
        Increment(Formats, ConfigNames.ForEnumValue(format));
        foreach (var message in record.Messages)
        {
            Increment(Roles, message.Role);
        }

        Turns[record.Messages.Length] = Turns.GetValueOrDefault(record.Messages.Length) + 1;
        var bucket = Array.FindIndex(LengthBuckets, bound => record.ContentLength < bound);
        LengthHistogram[bucket < 0 ? LengthBuckets.Length : bucket]++;
    }

    private static void Increment(SortedDictionary<string, long> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}
