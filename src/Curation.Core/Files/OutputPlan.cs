namespace Curation.Core.Files;

/// <summary>
/// Checks, before any data is read, every file and folder a run will write against everything it reads and against
/// each other, by real path (symlinks followed): an output may not be an input, lie inside a folder the run reads,
/// hold an input, or share its path with another output.
/// </summary>
public static class OutputPlan
{
    public static IReadOnlyList<OutputConflict> FindConflicts(IReadOnlyList<PlannedOutput> outputs, IReadOnlyList<PlannedRead> reads)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(reads);
        var conflicts = new List<OutputConflict>();
        var realReads = reads.Select(read => (Read: read, Real: RealPath.Of(read.Path))).ToList();
        var seen = new List<(PlannedOutput Output, string Real)>();
        var foldersReported = new HashSet<(string OutputFolder, string ReadFolder)>();
        foreach (var output in outputs)
        {
            var real = RealPath.Of(output.Path);
            if (FindProblem(output, real, realReads, seen) is { } problem)
            {
                // Several outputs of one folder inside one folder read are one mistake: say it once.
                var inside = realReads.FirstOrDefault(read => read.Read.IsFolder && RealPath.IsInside(real, read.Real));
                if (inside.Read is null || foldersReported.Add((Path.GetDirectoryName(real)!, inside.Real)))
                {
                    conflicts.Add(new OutputConflict(output, problem));
                }
            }

            seen.Add((output, real));
        }

        return conflicts;
    }

    private static string? FindProblem(
        PlannedOutput output, string real, List<(PlannedRead Read, string Real)> reads, List<(PlannedOutput Output, string Real)> earlier)
    {
        var shown = DisplayPath.For(output.Path);
        foreach (var (read, readReal) in reads)
        {
            if (!read.IsFolder && readReal.Equals(real, RealPath.Comparison))
            {
                return $"{output.Setting}: {shown} is the file {Describe(read)}; a run never writes over what it reads";
            }

            if (read.IsFolder && RealPath.IsInside(real, readReal))
            {
                return $"{output.Setting}: {shown} lies inside {DisplayPath.For(read.Path)}, a folder this run reads ({read.Setting}); the next run would read it back. Write it elsewhere";
            }

            if (output.IsFolder && RealPath.IsInside(readReal, real))
            {
                return $"{output.Setting}: the folder {shown} holds {Describe(read)}; a run replaces that folder, so write it elsewhere";
            }
        }

        foreach (var (other, otherReal) in earlier)
        {
            if (otherReal.Equals(real, RealPath.Comparison))
            {
                return $"{output.Setting}: {shown} is also where {other.Setting} goes; each output needs its own path";
            }

            if (other.IsFolder && RealPath.IsInside(real, otherReal))
            {
                return $"{output.Setting}: {shown} lies inside the folder {other.Setting} writes ({DisplayPath.For(other.Path)}); each output needs its own path";
            }

            if (output.IsFolder && RealPath.IsInside(otherReal, real))
            {
                return $"{output.Setting}: the folder {shown} would hold {other.Setting} ({DisplayPath.For(other.Path)}); each output needs its own path";
            }
        }

        return null;
    }

    private static string Describe(PlannedRead read) => $"{DisplayPath.For(read.Path)} that {read.Setting} reads";
}
