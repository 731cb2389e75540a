using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Curation.Core;
using Curation.Core.Config;
using Curation.Core.Records;
using Curation.IO;
using Curation.IO.Formats;

namespace Curation.Review.Queue;

/// <summary>One near-duplicate cluster member as the clusters file lists it.</summary>
public sealed record ClusterMember(string ClusterId, string Id, bool Kept, double Jaccard);

/// <summary>
/// The files a finished run left in its output folder, found through its manifest: the data (kept records with
/// their metadata), the rejects (each with its stage, rule, detail and the record as it was) and the near-duplicate
/// clusters.
/// </summary>
public sealed class RunOutput
{
    private RunOutput(string folder, string data, string? rejects, string? clusters, JsonElement manifest)
    {
        Folder = folder;
        DataPath = data;
        RejectsPath = rejects;
        ClustersPath = clusters;
        Manifest = manifest;
    }

    public string Folder { get; }

    public string DataPath { get; }

    public string? RejectsPath { get; }

    public string? ClustersPath { get; }

    public JsonElement Manifest { get; }

    /// <exception cref="CurationException">The folder holds no manifest of a completed run.</exception>
    public static RunOutput Open(string folder)
    {
        var full = Path.GetFullPath(folder);
        var manifestPath = Path.Combine(full, "manifest.json");
        if (!File.Exists(manifestPath))
        {
            throw new CurationException($"{manifestPath}: not found: expected the output folder of a 'curate run' (it holds manifest.json)");
        }

        JsonElement manifest;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            manifest = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CurationException($"{manifestPath}: not valid JSON ({ex.Message})", ex);
        }

        if (!manifest.TryGetProperty("status", out var status) || status.GetString() != "completed")
        {
            throw new CurationException($"{manifestPath}: the run did not complete (status {(status.ValueKind == JsonValueKind.String ? status.GetString() : "missing")}); export from a completed run");
        }

        string? Find(string role)
        {
            if (!manifest.TryGetProperty("outputs", out var outputs))
            {
                return null;
            }

            foreach (var output in outputs.EnumerateArray())
            {
                if (output.GetProperty("role").GetString() == role && output.GetProperty("path").GetString() is { } path)
                {
                    // The folder may have moved since the run: look beside the manifest too.
                    return File.Exists(path) ? path : Path.Combine(full, Path.GetFileName(path));
                }
            }

            return null;
        }

        var data = Find("data") ?? throw new CurationException($"{manifestPath}: names no data file");
        return new RunOutput(full, data, Find("rejects"), Find("clusters"), manifest);
    }

    /// <summary>The threshold the run's near-dedup stage used, when it had one.</summary>
    public double? NearDuplicateThreshold()
    {
        if (Manifest.TryGetProperty("pipeline", out var pipeline) && pipeline.TryGetProperty("config", out var config) && config.TryGetProperty("stages", out var stages))
        {
            foreach (var stage in stages.EnumerateArray())
            {
                if (stage.TryGetProperty("stage", out var kind) && kind.GetString() == "near-dedup"
                    && stage.TryGetProperty("options", out var options) && options.TryGetProperty("threshold", out var threshold) && threshold.ValueKind == JsonValueKind.Number)
                {
                    return threshold.GetDouble();
                }
            }
        }

        return null;
    }

    /// <summary>Kept records, then rejects that carry their record, numbered in that order.</summary>
    public async IAsyncEnumerable<ReviewCandidate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long order = 0;
        var options = new InputOptions { Path = DataPath };
        var decoder = new RecordDecoder(options);
        await foreach (var batch in FileRecordSource.ReadFileAsync(DataPath, options, allowEmpty: true, cancellationToken))
        {
            foreach (var item in batch)
            {
                var envelope = decoder.Decode(item, order);
                if (envelope.Record is not { } record)
                {
                    throw new CurationException($"{envelope.Reject!.Source}: {envelope.Reject.Rule}: {envelope.Reject.Detail}");
                }

                yield return new ReviewCandidate(record, order++);
            }

            FileRecordSource.ReleaseBatch(batch);
        }

        if (RejectsPath is null || !File.Exists(RejectsPath))
        {
            yield break;
        }

        var line = 0;
        foreach (var text in File.ReadLines(RejectsPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            line++;
            if (ParseReject(text, $"{RejectsPath}:{line}") is { } reject)
            {
                yield return new ReviewCandidate(reject.Record!, order++, reject);
            }
        }
    }

    /// <summary>Every member of every cluster of two or more.</summary>
    public IEnumerable<ClusterMember> Clusters()
    {
        if (ClustersPath is null || !File.Exists(ClustersPath))
        {
            throw new CurationException($"{Folder}: the run wrote no clusters file: give its near-dedup stage 'clusters: clusters.jsonl' to review near-duplicate pairs");
        }

        var line = 0;
        foreach (var text in File.ReadLines(ClustersPath))
        {
            line++;
            using var document = Parse(text, $"{ClustersPath}:{line}");
            var cluster = document.RootElement;
            var clusterId = cluster.GetProperty("cluster_id").GetString()!;
            foreach (var member in cluster.GetProperty("members").EnumerateArray())
            {
                yield return new ClusterMember(clusterId, member.GetProperty("id").GetString()!, member.GetProperty("kept").GetBoolean(), member.GetProperty("jaccard").GetDouble());
            }
        }
    }

    private static Reject? ParseReject(string text, string where)
    {
        using var document = Parse(text, where);
        var root = document.RootElement;
        if (!root.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var source = root.TryGetProperty("source", out var s) ? Source(s) : new SourceRef(where, 0, SourceUnit.Line);
        var chat = new ChatRecord
        {
            Id = record.GetProperty("id").GetString()!,
            Messages = [.. record.GetProperty("messages").EnumerateArray().Select(Message)],
            Source = source,
            Metadata = record.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                ? metadata.EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
                : ImmutableSortedDictionary<string, JsonElement>.Empty.WithComparers(StringComparer.Ordinal),
        };
        return new Reject(root.GetProperty("stage").GetString()!, root.GetProperty("rule").GetString()!, root.GetProperty("detail").GetString() ?? string.Empty, source)
        {
            Record = chat,
        };
    }

    private static Message Message(JsonElement turn) => new(turn.GetProperty("role").GetString()!, turn.GetProperty("content").GetString() ?? string.Empty)
    {
        Weight = turn.TryGetProperty("weight", out var weight) && weight.ValueKind == JsonValueKind.Number ? weight.GetDouble() : null,
        Name = turn.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
    };

    private static SourceRef Source(JsonElement source)
    {
        var file = source.TryGetProperty("file", out var f) ? f.GetString() ?? string.Empty : string.Empty;
        foreach (var (key, unit) in new[] { ("line", SourceUnit.Line), ("row", SourceUnit.Row), ("element", SourceUnit.Element) })
        {
            if (source.TryGetProperty(key, out var position) && position.ValueKind == JsonValueKind.Number)
            {
                return new SourceRef(file, position.GetInt64(), unit);
            }
        }

        return new SourceRef(file, 0, SourceUnit.Line);
    }

    private static JsonDocument Parse(string text, string where)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new CurationException(string.Create(CultureInfo.InvariantCulture, $"{where}: not valid JSON ({ex.Message})"), ex);
        }
    }
}
