using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Curation.Core.Files;
using Curation.Core.Records;
using Curation.Core.Runtime;
using Curation.Core.Stages;
using Curation.Dedup.MinHash;

namespace Curation.Dedup.Near;

/// <summary>
/// MinHash-LSH near-duplicate removal in two passes. Pass one spills every batch to a temporary file and, for each
/// record, simplifies its text, shingles it, signs it and indexes its band keys; the shingle set goes to a second
/// temporary file. At the end of input, candidate pairs from the index are verified by exact Jaccard (unless
/// <c>verify: false</c>), joined by union-find, and one member per cluster is chosen. Pass two reads the batches
/// back: dropped members become <c>near-duplicate</c> rejects naming the kept record and the Jaccard; kept records
/// gain <c>cluster_id</c> and <c>cluster_size</c> metadata. With <c>action: mark</c> nothing is dropped: members that
/// would be also carry <c>near_duplicate_of</c> and <c>near_duplicate_jaccard</c>. In memory per record: its band
/// keys (up to <c>memory_budget</c>, then on disk), where its fingerprint and its id and source lie on disk, the fact
/// that <c>keep</c> ranks by (if any) and, while clustering, the union-find arrays.
/// </summary>
internal sealed partial class NearDedupStage : IStreamStage, IStageFiles
{
    public const string DuplicateRule = "near-duplicate";
    public const string ClusterIdField = "cluster_id";
    public const string ClusterSizeField = "cluster_size";
    public const string DuplicateOfField = "near_duplicate_of";
    public const string DuplicateJaccardField = "near_duplicate_jaccard";
    public const string ClustersRole = "clusters";
    public const string IndexRole = "index";

    private readonly NearDedupOptions _options;
    private readonly string? _clustersPath;
    private readonly LshParameters _lsh;
    private readonly long _seed;
    private readonly TextFingerprinter _fingerprinter;
    private readonly string? _saveIndexPath;
    private readonly string? _againstPath;
    private readonly DedupIndex? _against;

    /// <exception cref="Core.CurationException">The <c>against</c> index is unreadable or was built with other settings.</exception>
    public NearDedupStage(NearDedupOptions options, string name, string baseDirectory, string outputDirectory, long pipelineSeed)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        Name = name;
        _clustersPath = options.Clusters is { } clusters ? Path.GetFullPath(clusters, outputDirectory) : null;
        _lsh = options.Lsh;
        _seed = options.Seed ?? pipelineSeed;
        _fingerprinter = new TextFingerprinter(Settings);
        _saveIndexPath = options.SaveIndex is { } save ? Path.GetFullPath(save, outputDirectory) : null;
        if (options.Against is { } against)
        {
            _againstPath = Path.GetFullPath(against, baseDirectory);
            _against = DedupIndex.Read(_againstPath);
            if (_against.Settings.FirstDifference(Settings) is { } difference)
            {
                throw new Core.CurationException($"'against' index {against} was built with other settings: {difference}; use the same ones");
            }
        }
    }

    public IEnumerable<PlannedOutput> Writes
    {
        get
        {
            if (_clustersPath is not null)
            {
                yield return PlannedOutput.ForStage(Name, "clusters", _clustersPath, ClustersRole);
            }

            if (_saveIndexPath is not null)
            {
                yield return PlannedOutput.ForStage(Name, "save_index", _saveIndexPath, IndexRole);
            }
        }
    }

    public IEnumerable<PlannedRead> Reads => _againstPath is null ? [] : [PlannedRead.ForStage(Name, "against", _againstPath)];

    /// <summary>The settings that make band keys comparable across runs, as saved with an index.</summary>
    public DedupIndexSettings Settings => new(
        _options.NumPerm, _seed, _lsh.Bands, _lsh.Rows, _options.CharNgram > 0 ? 0 : _options.Ngram, _options.CharNgram,
        _options.Lowercase, _options.StripPunctuation, _options.FoldDigits, _options.StripDiacritics)
    {
        PunctuationAsSpace = _options.PunctuationAsSpace,
    };

    public string Name { get; }

    /// <summary>Records go through a spill file and are passed on as read back.</summary>
    public bool PassesOnStoredCopies => true;

    /// <summary>The banding in use and the chance that a pair exactly at the threshold becomes a candidate.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{_options.NumPerm} permutations, {_lsh.Bands} bands × {_lsh.Rows} rows, P(candidate | J={_options.Threshold:0.00}) = {_lsh.DetectionProbability(_options.Threshold):0.000}, verification {(_options.Verify ? "on" : "off")}");

    public async Task RunAsync(ChannelReader<Envelope[]> input, ChannelWriter<Envelope[]> output, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        context.Counters.AddNote(Describe());
        var signing = TimeSpan.Zero;
        await using var spill = new EnvelopeSpill();
        using var fingerprints = new FingerprintStore(_lsh.Bands);
        using var index = new LshIndex(_lsh.Bands, _options.MemoryBudgetBytes);
        using var records = new RecordLabels();
        var ranking = new RankingFacts(_options.Keep);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = context.Workers, CancellationToken = cancellationToken };

        // Fingerprints are computed on the run's workers without blocking a thread (a blocking Parallel.For here
        // starved the other stages' tasks of pool threads), then added to the index in input order.
        await OrderedParallel.MapAsync(
            input,
            batch =>
            {
                var started = context.Time.GetTimestamp();
                var fingerprints = Fingerprint(batch);
                return new SignedBatch(batch, fingerprints, context.Time.GetElapsedTime(started));
            },
            context.Workers,
            (signed, _) =>
            {
                spill.Write(signed.Batch);
                using (var batch = signed.Fingerprints)
                {
                    for (var i = 0; i < signed.Batch.Length; i++)
                    {
                        if (batch.Has(i))
                        {
                            var bandKeys = batch.BandKeys(i);
                            index.Add(fingerprints.Add(bandKeys, batch.Shingles(i)), bandKeys);
                            var record = signed.Batch[i].Record!;
                            records.Add(record.Id, record.Source);
                            ranking.Add(batch.ContentLength(i), batch.Rank(i));
                        }
                    }
                }

                signing += signed.Elapsed;
                return ValueTask.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);

        var matchingStarted = context.Time.GetTimestamp();
        Func<int, NearDuplicate?> duplicateOf;
        Func<int, int> clusterSize;
        Func<int, string, string> clusterId;
        if (_against is { } against)
        {
            context.Counters.Activity = $"matching {records.Count:N0} records against {Path.GetFileName(_againstPath)}";
            var matches = MatchAgainst(against, fingerprints, parallel);
            context.Counters.AddNote(string.Create(
                CultureInfo.InvariantCulture,
                $"{records.Count} records against {against.Ids.Count} indexed in {Path.GetFileName(_againstPath)}: {matches.Count(m => m.Document >= 0)} {Verb}; signing {signing.TotalSeconds:0.00} s on all workers, matching {context.Time.GetElapsedTime(matchingStarted).TotalSeconds:0.00} s"));
            duplicateOf = document => matches[document] is { Document: >= 0 } match
                ? new NearDuplicate(
                    against.Ids[match.Document],
                    match.Similarity,
                    string.Create(CultureInfo.InvariantCulture, $"near-duplicate of {against.Ids[match.Document]} in {Path.GetFileName(_againstPath)}, Jaccard {match.Similarity:0.000}"))
                : null;
            clusterSize = _ => 1;
            clusterId = (_, ownId) => ownId;
        }
        else
        {
            if (index.SpilledRuns > 0)
            {
                context.Counters.AddNote(SpillNote(index.SpilledRuns, index.SpilledBytes));
            }

            var band = 0;
            context.Counters.Activity = $"clustering {records.Count:N0} records";
            var plan = ClusterPlan.Build(
                records.Count,
                index.StreamCandidatePairs(b => band = b, cancellationToken),
                new PairSimilarity(fingerprints, context.Workers, cancellationToken),
                _options.Verify ? _options.Threshold : null,
                ranking.Prefer,
                (found, compared) => context.Counters.Activity = string.Create(
                    CultureInfo.InvariantCulture, $"clustering {records.Count:N0} records, band {band + 1} of {_lsh.Bands}: {found:N0} candidate pairs, {compared:N0} compared"));
            context.Counters.AddNote(ClusteringNote(records.Count, plan.CandidatePairs, plan.Compared, plan, signing, context.Time.GetElapsedTime(matchingStarted)));
            if (_clustersPath is not null)
            {
                var clustersFile = context.Outputs.CreateFile(_clustersPath);
                var clusterCount = await WriteClustersAsync(clustersFile.Stream, plan, records, records.Count, cancellationToken).ConfigureAwait(false);
                context.Outputs.Seal(clustersFile, ClustersRole, clusterCount);
            }

            duplicateOf = document => plan.KeptMemberOf(document) is var kept && kept != document && records.Label(kept) is var (keptId, keptSource)
                ? NearDuplicate.InCluster(keptId, keptSource, plan.SimilarityToKept(document))
                : null;
            clusterSize = plan.ClusterSizeOf;
            clusterId = (document, ownId) => plan.KeptMemberOf(document) is var kept && kept != document ? records.Id(kept) : ownId;
        }

        // The band keys (up to memory_budget) are not needed for the second pass: freed now, not at the end of it.
        index.Dispose();
        if (_saveIndexPath is not null)
        {
            var kept = Enumerable.Range(0, records.Count).Where(document => !IsDropped(duplicateOf(document))).ToList();
            var indexFile = context.Outputs.CreateFile(_saveIndexPath);
            FileFaults.Guard(_saveIndexPath, () => DedupIndex.Write(
                indexFile.Stream,
                Settings,
                kept.Count,
                kept.Select(document => (records.Id(document), fingerprints.BandKeys(document), fingerprints.Shingles(document)))));
            context.Outputs.Seal(indexFile, IndexRole, kept.Count);
        }

        context.Counters.Activity = "second pass: writing the decisions";
        var next = 0;
        await foreach (var batch in spill.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = new Envelope[batch.Length];
            var clusterIds = ClusterIdsOf(batch, next, clusterId);
            for (var i = 0; i < batch.Length; i++)
            {
                if (batch[i].Record is { } record)
                {
                    result[i] = Decide(batch[i].Sequence, record, duplicateOf(next), clusterSize(next), clusterIds[i]);
                    next++;
                }
                else
                {
                    result[i] = batch[i];
                }
            }

            await output.WriteAsync(result, cancellationToken).ConfigureAwait(false);
        }
        context.Counters.Activity = null;
    }

    /// <summary>The fingerprints of a batch's records, as the stage makes them (for the tasks of a sharded run, too).</summary>
    internal FingerprintBatch Fingerprint(Envelope[] envelopes)
    {
        // Room for a quarter of a shingle per char at first (prose has about a sixth), grown if need be.
        var expected = 0;
        foreach (var envelope in envelopes)
        {
            expected += envelope.Record is { } record ? _lsh.Bands + (record.ContentLength / 4) : 0;
        }

        var batch = new FingerprintBatch(envelopes.Length, _lsh.Bands, expected);
        for (var i = 0; i < envelopes.Length; i++)
        {
            if (envelopes[i].Record is { } record)
            {
                Fingerprint(record, i, batch);
            }
        }

        return batch;
    }

    private void Fingerprint(ChatRecord record, int index, FingerprintBatch batch)
    {
        // The joined text lives in a pooled buffer: one record's text is copied, never allocated. It is what
        // TextFingerprinter.Join makes of the turns, so that text checked against an index outside a run agrees.
        var length = record.ContentLength + record.Messages.Length;
        var joined = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var written = 0;
            foreach (var message in record.Messages)
            {
                message.Content.CopyTo(joined.AsSpan(written));
                written += message.Content.Length;
                joined[written++] = '\n';
            }

            var maxShingles = TextFingerprinter.MaxShingles(written);
            var room = batch.Reserve(maxShingles);
            var shingles = _fingerprinter.Fingerprint(joined.AsSpan(0, written), room[.._lsh.Bands], room[_lsh.Bands..]);
            batch.Commit(index, shingles, record.ContentLength, Rank(record));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(joined);
        }
    }

    private double? Rank(ChatRecord record) =>
        _options.Keep == KeepPolicy.Field
        && record.Metadata.TryGetValue(_options.KeepField!, out var value)
        && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : null;

    private string SpillNote(int runs, long bytes) => string.Create(
        CultureInfo.InvariantCulture,
        $"memory budget {_options.MemoryBudget}: LSH band keys spilled to disk in {runs} sorted runs ({bytes / 1e6:0.0} MB) and merged");

    private string ClusteringNote(int records, long candidatePairs, long compared, ClusterPlan plan, TimeSpan signing, TimeSpan clustering) => string.Create(
        CultureInfo.InvariantCulture,
        $"{records} records, {candidatePairs} candidate pairs ({compared} compared), {plan.Clusters} clusters of two or more, {plan.Dropped} {Verb}; signing {signing.TotalSeconds:0.00} s on all workers, clustering {clustering.TotalSeconds:0.00} s");

    private string Verb => _options.Action == NearDedupAction.Mark ? "marked" : "dropped";

    private bool IsDropped(NearDuplicate? duplicate) => duplicate is not null && _options.Action == NearDedupAction.Drop;

    /// <summary>The <c>cluster_id</c> of each record of a batch whose first record is document <paramref name="first"/>, in one document (an empty string where the batch holds a reject, never used).</summary>
    private static JsonElement[] ClusterIdsOf(Envelope[] batch, int first, Func<int, string, string> clusterId)
    {
        var ids = new string[batch.Length];
        var document = first;
        for (var i = 0; i < batch.Length; i++)
        {
            ids[i] = batch[i].Record is { } record ? clusterId(document++, record.Id) : string.Empty;
        }

        return ClusterMetadata.Ids(ids);
    }

    /// <summary>What the stage makes of a record given its cluster: a reject naming the kept member, or the record with its cluster's metadata.</summary>
    private Envelope Decide(long sequence, ChatRecord record, NearDuplicate? duplicate, int clusterSize, JsonElement clusterId)
    {
        if (IsDropped(duplicate))
        {
            return Envelope.Rejected(sequence, new Reject(Name, DuplicateRule, duplicate!.Value.Detail, record.Source) { Record = record });
        }

        // One builder, not a new map per entry: this runs for every record the stage keeps.
        var metadata = record.Metadata.ToBuilder();
        metadata[ClusterIdField] = clusterId;
        metadata[ClusterSizeField] = ClusterMetadata.Size(clusterSize);
        if (duplicate is { } marked)
        {
            metadata[DuplicateOfField] = ClusterMetadata.Id(marked.Id);
            metadata[DuplicateJaccardField] = JsonSerializer.SerializeToElement(Math.Round(marked.Jaccard, 4));
        }

        return Envelope.Kept(sequence, record with { Metadata = metadata.ToImmutable() });
    }

    /// <summary>
    /// A batch with its fingerprints and the time signing took. A class, not a tuple: the ordered map then shares the
    /// compiled body of the other stages' (see <see cref="OrderedParallel"/>) instead of compiling one at start-up.
    /// </summary>
    private sealed record SignedBatch(Envelope[] Batch, FingerprintBatch Fingerprints, TimeSpan Elapsed);

    /// <summary>The record a record near-duplicates (the kept member of its cluster, or an indexed record) and why.</summary>
    private readonly record struct NearDuplicate(string Id, double Jaccard, string Detail)
    {
        public static NearDuplicate InCluster(string keptId, string keptSource, double jaccard) =>
            new(keptId, jaccard, string.Create(CultureInfo.InvariantCulture, $"near-duplicate of {keptId} ({keptSource}), Jaccard {jaccard:0.000}"));
    }

    /// <summary>For each record, the indexed record it near-duplicates most (exact Jaccard at or above the threshold), or -1.</summary>
    private List<(int Document, double Similarity)> MatchAgainst(DedupIndex against, FingerprintStore fingerprints, ParallelOptions parallel)
    {
        var matches = new (int Document, double Similarity)[fingerprints.Count];
        Parallel.For(0, fingerprints.Count, parallel, document =>
        {
            matches[document] = (-1, 0);
            var candidates = against.Candidates(fingerprints.BandKeys(document));
            if (candidates.Count == 0)
            {
                return;
            }

            var own = fingerprints.Shingles(document);
            foreach (var candidate in candidates)
            {
                var similarity = _options.Verify ? Jaccard.Of(own, against.Shingles[candidate]) : 1.0;
                if (similarity >= _options.Threshold && similarity > matches[document].Similarity)
                {
                    matches[document] = (candidate, similarity);
                }
            }
        });
        return [.. matches];
    }

    private static async Task<int> WriteClustersAsync(
        Stream file, ClusterPlan plan, IDocumentLabels records, int count, CancellationToken cancellationToken)
    {
        var members = new SortedDictionary<int, List<int>>();
        for (var document = 0; document < count; document++)
        {
            if (plan.ClusterSizeOf(document) > 1)
            {
                var kept = plan.KeptMemberOf(document);
                if (!members.TryGetValue(kept, out var list))
                {
                    members[kept] = list = [];
                }

                list.Add(document);
            }
        }

        foreach (var (kept, list) in members)
        {
            await using (var writer = new Utf8JsonWriter(file))
            {
                writer.WriteStartObject();
                writer.WriteString(ClusterIdField, records.Id(kept));
                writer.WriteNumber("size", list.Count);
                writer.WriteStartArray("members");
                foreach (var document in list)
                {
                    writer.WriteStartObject();
                    var (id, source) = records.Label(document);
                    writer.WriteString("id", id);
                    writer.WriteString("source", source);
                    writer.WriteBoolean("kept", document == kept);
                    writer.WriteNumber("jaccard", Math.Round(plan.SimilarityToKept(document), 4));
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            file.WriteByte((byte)'\n');
        }

        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        return members.Count;
    }
}
