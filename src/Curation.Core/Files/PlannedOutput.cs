namespace Curation.Core.Files;

/// <summary>A file or folder a run will write, the role it plays, and the setting that named it (for messages).</summary>
/// <param name="Path">Full path.</param>
/// <param name="Role">data, rejects, manifest, clusters, index, review…</param>
/// <param name="Setting">Where the user chose it, in the config's own words: <c>output.rejects</c>, <c>stage 'near-dedup': clusters</c>.</param>
/// <param name="ConfigKey">The key of its position in the pipeline file (<see cref="Config.PipelineDefinition.Locations"/>), if it has one.</param>
public sealed record PlannedOutput(string Path, string Role, string Setting, bool IsFolder = false, string? ConfigKey = null)
{
    /// <summary>An output named by a stage option.</summary>
    public static PlannedOutput ForStage(string stage, string option, string path, string role, bool isFolder = false) =>
        new(System.IO.Path.GetFullPath(path), role, $"stage '{stage}': {option}", isFolder, $"stage '{stage}'.{option}");
}

/// <summary>Something a run reads: input files, the folders it walks, and files stages load (a model, an index, a store).</summary>
/// <param name="Setting">Where the user named it, e.g. <c>inputs[2]</c> or <c>stage 'classifier': model</c>.</param>
public sealed record PlannedRead(string Path, string Setting, bool IsFolder = false)
{
    /// <summary>A file or folder read by a stage option.</summary>
    public static PlannedRead ForStage(string stage, string option, string path, bool isFolder = false) =>
        new(System.IO.Path.GetFullPath(path), $"stage '{stage}': {option}", isFolder);
}

/// <summary>An output that would destroy something: an input, another output, or a file inside a folder the run reads.</summary>
public sealed record OutputConflict(PlannedOutput Output, string Problem);
