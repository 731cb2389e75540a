using System.Text.Json;
using System.Text.Json.Serialization;
using Curation.Core;
using Curation.Core.Files;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// What a sharded run was planned from and how its inputs were cut: written first into the work folder, read by
/// every task, compared on relaunch so that parts of different plans are never mixed.
/// </summary>
/// <param name="ConfigSha256">Hash of everything that decides the output: tool version, pipeline file, seed, output folder, working folder and task count.</param>
/// <param name="WorkingDirectory">The folder source paths are shown relative to; tasks run there.</param>
/// <param name="SeedOverride">The <c>--seed</c> given, if any.</param>
/// <param name="OutputOverride">The <c>--output</c> given, if any.</param>
internal sealed record ShardPlan(
    int Version,
    string ConfigSha256,
    string PipelineFile,
    string WorkingDirectory,
    long? SeedOverride,
    string? OutputOverride,
    bool FailFast,
    int Tasks,
    IReadOnlyList<PlannedInputFile> Files,
    IReadOnlyList<PlannedShard> Shards,
    IReadOnlyList<PlannedStep>? Steps = null)
{
    // 2: CSV/TSV and Parquet files are cut too, their ranges with the rows before them.
    // 3: each task's ids part is sorted by key (the settling merges them in key order).
    public const int CurrentVersion = 3;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");

    /// <exception cref="CurationException">The file is missing or not a plan.</exception>
    public static ShardPlan Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ShardPlan>(File.ReadAllText(path), Options)
                ?? throw new CurationException($"{DisplayPath.For(path)}: not a shard plan");
        }
        catch (FileNotFoundException)
        {
            throw new CurationException($"{DisplayPath.For(path)}: no shard plan here (is this the work folder of a run with --tasks?)");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CurationException($"{DisplayPath.For(path)}: no shard plan here (is this the work folder of a run with --tasks?)");
        }
        catch (JsonException e)
        {
            throw new CurationException($"{DisplayPath.For(path)}: not a shard plan: {e.Message}", e);
        }
    }
}

/// <summary>One input file as the plan saw it; a file cut into ranges also has its hash (the ranges are read without one).</summary>
/// <param name="Entry">Index of its <c>inputs:</c> entry, from 0.</param>
/// <param name="LastWriteTicks">Last write time (UTC ticks), to notice a changed input on relaunch.</param>
internal sealed record PlannedInputFile(string Path, int Entry, long Bytes, long LastWriteTicks, string? Sha256);

/// <summary>The pieces one task reads, in order.</summary>
/// <summary>A step of the run as planned (<see cref="ShardSteps"/>), for <c>curate status</c>: gather or tasks, and its stages.</summary>
internal sealed record PlannedStep(bool Gather, IReadOnlyList<string> Stages);

internal sealed record PlannedShard(IReadOnlyList<PlannedPiece> Pieces);

/// <summary>
/// A whole file (no <paramref name="End"/>) or a byte range of one that starts where its reader starts a record: a
/// line (JSON Lines), a row after the header (CSV/TSV), a row group (Parquet).
/// </summary>
/// <param name="File">Index into <see cref="ShardPlan.Files"/>.</param>
/// <param name="LinesBefore">Lines of the file before the range (JSON Lines, CSV/TSV).</param>
/// <param name="RowsBefore">Data rows of the file before the range (CSV/TSV, Parquet).</param>
internal sealed record PlannedPiece(int File, long Start, long? End, long LinesBefore, long RowsBefore = 0)
{
    [JsonIgnore]
    public bool IsWholeFile => End is null;
}
