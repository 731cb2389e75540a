using System.Text.Json;
using Curation.Core;
using Curation.Core.Files;
using Curation.Core.Runtime;
using Curation.Core.Stages;

namespace Curation.Pipeline.ScaleOut;

/// <summary>What one task did, written beside its parts: counts per stage, the pieces it read and what it wrote.</summary>
internal sealed record TaskStats(
    int Task,
    IReadOnlyList<TaskStageCounts> Stages,
    IReadOnlyList<TaskPiece> Pieces,
    long RecordsWritten,
    long RejectsWritten,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ReadRejectsByFile,
    double ElapsedSeconds,
    IReadOnlyList<GatheredFile>? Files = null)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static TaskStats From(int task, RunResult result, IReadOnlyList<TaskPiece> pieces)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new TaskStats(
            task,
            [.. result.Stats.Stages.Select(stage => new TaskStageCounts(
                stage.Stage, stage.Input, stage.Kept, stage.Rejected, stage.Restored, stage.Busy.TotalSeconds, new SortedDictionary<string, long>(stage.RejectsByRule.ToDictionary(), StringComparer.Ordinal), stage.Notes)
            {
                Figures = stage.Figures,
            })],
            pieces,
            result.RecordsWritten,
            result.RejectsWritten,
            result.ReadRejectsByFile,
            result.Elapsed.TotalSeconds);
    }

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");

    /// <exception cref="CurationException">The file cannot be read or is not a task's stats.</exception>
    public static TaskStats Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TaskStats>(File.ReadAllText(path), Options) ?? throw new CurationException($"{DisplayPath.For(path)}: not a task's stats");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new CurationException($"{DisplayPath.For(path)}: cannot read the task's stats: {e.Message}", e);
        }
    }
}

/// <summary>A file a gather step's stage wrote (clusters): where it goes with the merge, what it holds, and where it is until then.</summary>
internal sealed record GatheredFile(string FinalPath, string Role, long Records, long Bytes, string Sha256, string StoredAt);

/// <summary>One stage's counts in one task, and the figures behind its notes when they add up across tasks.</summary>
internal sealed record TaskStageCounts(
    string Stage, long Input, long Kept, long Rejected, long Restored, double BusySeconds, IReadOnlyDictionary<string, long> RejectsByRule, IReadOnlyList<string> Notes)
{
    public JsonElement? Figures { get; init; }
}

/// <summary>One piece a task read: its index in the shard, the items it gave and, for a whole file, its size and hash.</summary>
internal sealed record TaskPiece(int Piece, long Items, InputFileInfo? File);
