using System.Globalization;
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

    public IEnumerable<PlannedOutput> Writes => _paths.Select(path => PlannedOutput.ForStage(Name, "dir", path, OutputFileRoles.Data));

    public IEnumerable<PlannedRead> Reads => [];

    /// <summary>The files the splits go to, in the order the config names the splits.</summary>
    public IReadOnlyList<string> Paths => _paths;

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        await using var spill = new EnvelopeSpill();
        var groups = new GroupTable(_seed, _options.Group, _stratum);
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            spill.Write(batch);
            foreach (var envelope in batch)
            {
                if (envelope.Record is { } record)
                {
                    groups.Add(record);
                }
            }
        }

        context.Counters.Activity = $"assigning {groups.Records:N0} records in {groups.Groups:N0} groups to splits";
        var assignment = groups.Assign(_ratios);
        context.Counters.Activity = "second pass: writing the splits";
        var unrepresentable = await WriteAsync(spill, assignment, output, context, cancellationToken).ConfigureAwait(false);
        foreach (var note in Notes(groups, assignment, unrepresentable))
        {
            context.Counters.AddNote(note);
        }

        context.Counters.Activity = null;
    }

    private async Task<long> WriteAsync(EnvelopeSpill spill, SplitAssignment assignment, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        var writers = new List<IRecordWriter<ChatRecord>>(_paths.Length);
        try
        {
            var encoding = new JsonlEncodingOptions { IncludeId = _options.IncludeId, IncludeMetadata = _options.IncludeMetadata };
            foreach (var path in _paths)
            {
                writers.Add(_options.Format == OutputFormat.Parquet
                    ? new ParquetRecordWriter(context.Outputs, path)
                    : new JsonlRecordWriter(context.Outputs, path, _options.Format, _options.Compression, encoding));
            }

            var unrepresentable = 0L;
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

                    var split = assignment.RecordSplits[next++];
                    var marked = record with { Metadata = record.Metadata.SetItem(_options.Field, _names[split]) };
                    result[i] = Envelope.Kept(batch[i].Sequence, marked);
                    if (JsonlRecordWriter.CanRepresent(marked, _options.Format, out _))
                    {
                        perSplit[split].Add(marked);
                    }
                    else
                    {
                        unrepresentable++;
                    }
                }

                for (var split = 0; split < perSplit.Length; split++)
                {
                    if (perSplit[split].Count > 0)
                    {
                        await writers[split].WriteAsync(writers[split].Encode(perSplit[split]), cancellationToken).ConfigureAwait(false);
                        perSplit[split] = [];
                    }
                }

                await output.WriteAsync(result, cancellationToken).ConfigureAwait(false);
            }

            foreach (var writer in writers)
            {
                await writer.SealAsync(cancellationToken).ConfigureAwait(false);
            }

            return unrepresentable;
        }
        finally
        {
            foreach (var writer in writers)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private IEnumerable<string> Notes(GroupTable groups, SplitAssignment assignment, long unrepresentable)
    {
        var splits = Enumerable.Range(0, assignment.Names.Count).ToList();
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"{groups.Records} records in {groups.Groups} groups (by '{_options.Group}', else record id), seed {_seed}, {_stratum.Describe()}: {string.Join(", ", splits.Select(split => $"{assignment.Names[split]} {assignment.RecordsIn(split)} ({assignment.GroupCounts[split]} groups)"))}");
        if (_stratum.Kind != StratumKind.None)
        {
            var order = Enumerable.Range(0, assignment.Strata.Count).OrderBy(stratum => assignment.Strata[stratum], StringComparer.Ordinal).ToList();
            foreach (var stratum in order.Take(StrataNoted))
            {
                var total = splits.Sum(split => assignment.Counts[stratum, split]);
                yield return string.Create(
                    CultureInfo.InvariantCulture,
                    $"stratum '{assignment.Strata[stratum]}': {total} records: {string.Join(", ", splits.Select(split => $"{assignment.Names[split]} {assignment.Counts[stratum, split]}"))}");
            }

            if (order.Count > StrataNoted)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{order.Count - StrataNoted} more strata not listed ({order.Count} in all)");
            }
        }

        if (groups.GroupsAcrossStrata > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{groups.GroupsAcrossStrata} groups have records in more than one stratum: each went with its first record's stratum");
        }

        if (unrepresentable > 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{unrepresentable} records left out of the split files: {_options.Format.ToString().ToLowerInvariant()} cannot hold them");
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
