using System.Text.Json;
using System.Threading.Channels;
using Curation.Core.Config;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.IO.Writers;

namespace Curation.Splits;

/// <summary>
/// Assigns every record to a split in two passes. Pass one spills every batch to a temporary file and notes each
/// record's group (the <c>group</c> metadata field, such as near-dedup's <c>cluster_id</c>, else its id) and stratum.
/// At the end of input each stratum's groups are ordered by a seeded hash of their key and dealt to the splits so
/// that the stratum's record counts match the ratios exactly up to rounding (<see cref="SplitAllocation"/>). Pass two
/// reads the batches back in input order, writes the split's name into each record's metadata and each record to its
/// split's file as well as on down the pipeline. In memory per record: its group number; per group: hash and size.
/// </summary>
internal sealed class SplitStage : IStreamStage, IStageFiles
{
    /// <summary>Strata listed one note each in the run summary; more are counted.</summary>
    public const int StrataNoted = 50;

    private readonly SplitOptions _options;
    private readonly SplitRatios _ratios;
    private readonly Stratum _stratum;
    private readonly long _seed;
    private readonly string[] _paths;
    private readonly JsonElement[] _names;

    /// <exception cref="ArgumentException">Options that did not pass validation.</exception>
    public SplitStage(SplitOptions options, string name, string outputDirectory, long pipelineSeed)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Name = name;
        _ratios = SplitRatios.TryParse(options.Splits, out var ratios, out var error) ? ratios : throw new ArgumentException(error, nameof(options));
        _stratum = Stratum.TryParse(options.Stratify, out var stratum) ? stratum : throw new ArgumentException($"stratify: expected 'source' or 'tag:FIELD', got '{options.Stratify}'", nameof(options));
        _seed = options.Seed ?? pipelineSeed;
        var folder = Path.GetFullPath(options.Dir, outputDirectory);
        _paths = [.. _ratios.Names.Select(split => Path.Combine(folder, split + Extension(options)))];
        _names = [.. _ratios.Names.Select(split => JsonSerializer.SerializeToElement(split))];
    }

    public string Name { get; }

    /// <summary>Records go through a spill file and are passed on as read back.</summary>
    public bool PassesOnStoredCopies => true;

    public IEnumerable<PlannedOutput> Writes => _paths.Select(path => PlannedOutput.ForStage(Name, "dir", path, OutputFileRoles.Data));

    public IEnumerable<PlannedRead> Reads => [];

    /// <summary>The files the splits go to, in the order the config names the splits.</summary>
    public IReadOnlyList<string> Paths => _paths;

    /// <summary>The splits' names, in the order the config names them.</summary>
    public IReadOnlyList<string> Names => _ratios.Names;

    /// <summary>
    /// Whether a sharded run can split without gathering every record: the shards' keys are assigned in one step and
    /// each task writes its records' part of every split file, which the merge joins (JSON Lines, compressed or not);
    /// a Parquet file's row groups need one writer that sees every record.
    /// </summary>
    public bool SplitsFromKeys => _options.Format != OutputFormat.Parquet;

    /// <summary>How the merge writes each split file from the tasks' uncompressed parts.</summary>
    public OutputCompression Compression => _options.Compression;

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        await using var spill = new EnvelopeSpill();
        var resolver = NewResolver();
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            spill.Write(batch);
            foreach (var envelope in batch)
            {
                if (envelope.Record is { } record)
                {
                    resolver.Add(KeyOf(record));
                }
            }
        }

        context.Counters.Activity = $"assigning {resolver.Records:N0} records in {resolver.Groups:N0} groups to splits";
        var resolution = resolver.Resolve();
        context.Counters.Activity = "second pass: writing the splits";
        await WriteAsync(spill, resolution.RecordSplits, output, context, cancellationToken).ConfigureAwait(false);
        foreach (var note in resolution.Notes)
        {
            context.Counters.AddNote(note);
        }

        context.Counters.Activity = null;
    }

    /// <summary>What assigning <paramref name="record"/> needs: its group's hash, its stratum, whether the split files can hold it.</summary>
    public SplitKey KeyOf(ChatRecord record) =>
        new(GroupTable.GroupHash(record, _options.Group, _seed), _stratum.Of(record), JsonlRecordWriter.CanRepresent(record, _options.Format, out _));

    /// <summary>A resolver of this stage's settings: keys in input order in, every record's split and the notes out.</summary>
    public SplitResolver NewResolver() => new(_options, _ratios, _stratum, _seed);

    /// <summary>The record with its split's name written into its metadata.</summary>
    public ChatRecord Mark(ChatRecord record, int split)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record with { Metadata = record.Metadata.SetItem(_options.Field, _names[split]) };
    }

    /// <summary>Whether the split files can hold the (marked) record; those they cannot are left out of them and counted.</summary>
    public bool CanWrite(ChatRecord record) => JsonlRecordWriter.CanRepresent(record, _options.Format, out _);

    /// <summary>Writes each split's records of a batch to its writer, and empties their lists.</summary>
    internal static async Task WriteSplitsAsync(IReadOnlyList<IRecordWriter<ChatRecord>> writers, List<ChatRecord>[] perSplit, CancellationToken cancellationToken)
    {
        for (var split = 0; split < perSplit.Length; split++)
        {
            if (perSplit[split].Count > 0)
            {
                await writers[split].WriteAsync(writers[split].Encode(perSplit[split]), cancellationToken).ConfigureAwait(false);
                perSplit[split] = [];
            }
        }
    }

    /// <summary>A writer of split records in the split files' format, uncompressed: the bytes a split file's compressor is fed.</summary>
    public IRecordWriter<ChatRecord> CreatePartWriter(RunOutputs outputs, string path) =>
        _options.Format == OutputFormat.Parquet
            ? throw new InvalidOperationException("parquet split files are written by one writer")
            : new JsonlRecordWriter(outputs, path, _options.Format, OutputCompression.None, Encoding);

    private JsonlEncodingOptions Encoding => new() { IncludeId = _options.IncludeId, IncludeMetadata = _options.IncludeMetadata };

    private async Task WriteAsync(EnvelopeSpill spill, byte[] recordSplits, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        var writers = new List<IRecordWriter<ChatRecord>>(_paths.Length);
        try
        {
            foreach (var path in _paths)
            {
                writers.Add(_options.Format == OutputFormat.Parquet
                    ? new ParquetRecordWriter(context.Outputs, path)
                    : new JsonlRecordWriter(context.Outputs, path, _options.Format, _options.Compression, Encoding));
            }

            var next = 0;
            var perSplit = _paths.Select(_ => new List<ChatRecord>()).ToArray();
            await foreach (var batch in spill.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var result = new Envelope[batch.Length];
                for (var i = 0; i < batch.Length; i++)
                {
                    if (batch[i].Record is not { } record)
                    {
                        result[i] = batch[i];
                        continue;
                    }

                    var split = recordSplits[next++];
                    var marked = Mark(record, split);
                    result[i] = Envelope.Kept(batch[i].Sequence, marked);
                    if (CanWrite(marked))
                    {
                        perSplit[split].Add(marked);
                    }
                }

                await WriteSplitsAsync(writers, perSplit, cancellationToken).ConfigureAwait(false);

                await output.WriteAsync(result, cancellationToken).ConfigureAwait(false);
            }

            foreach (var writer in writers)
            {
                await writer.SealAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static string Extension(SplitOptions options) => options.Format == OutputFormat.Parquet
        ? ".parquet"
        : options.Compression switch
        {
            OutputCompression.Gzip => ".jsonl.gz",
            OutputCompression.Zstd => ".jsonl.zst",
            _ => ".jsonl",
        };
}
