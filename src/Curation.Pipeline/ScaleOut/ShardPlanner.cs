using System.Security.Cryptography;
using System.Text;
using Curation.IO.Inputs;
using Curation.IO.Shards;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// Cuts a prepared pipeline's inputs into N shards of about equal bytes, in read order, so that the shards' outputs
/// concatenated in order are the output of one process. A cut that falls inside an uncompressed JSON Lines file moves
/// to the next line start; inside any other file (compressed, JSON arrays, CSV/TSV, whose quoted fields may hold
/// newlines, and Parquet) it moves to the nearer end of the file. A shard may be empty when there are more tasks than
/// places to cut.
/// </summary>
internal static class ShardPlanner
{
    public static ShardPlan Plan(PreparedPipeline prepared, ShardRunSettings settings, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Tasks, 1);
        var files = new List<(string Path, int Entry, long Bytes, bool Splittable)>();
        for (var entry = 0; entry < prepared.Inputs.Count; entry++)
        {
            foreach (var path in prepared.Inputs[entry].Files)
            {
                var splittable = InputFileType.TryFromPath(path, out var type)
                    && type.Kind == InputFileKind.JsonLines
                    && type.Compression == IO.Compression.CompressionKind.None;
                files.Add((path, entry, new FileInfo(path).Length, splittable));
            }
        }

        var total = files.Sum(file => file.Bytes);
        var wanted = Enumerable.Range(1, settings.Tasks - 1).Select(k => (long)((Int128)total * k / settings.Tasks)).ToList();

        // Each cut as (file, offset in it, lines before it); the end of file f is the start of file f + 1.
        var cuts = new Boundary[wanted.Count];
        var hashes = new string?[files.Count];
        long fileStart = 0;
        var next = 0;
        for (var f = 0; f < files.Count && next < wanted.Count; f++)
        {
            var (path, _, bytes, splittable) = files[f];
            var inside = new List<int>();
            while (next < wanted.Count && wanted[next] < fileStart + bytes)
            {
                if (wanted[next] <= fileStart)
                {
                    cuts[next] = new Boundary(f, 0, 0);
                }
                else
                {
                    inside.Add(next);
                }

                next++;
            }

            if (inside.Count > 0)
            {
                var scan = splittable ? LineCuts.Scan(path, [.. inside.Select(k => wanted[k] - fileStart)]) : null;
                hashes[f] = scan?.Sha256;
                foreach (var k in inside)
                {
                    var local = wanted[k] - fileStart;
                    if (scan is null)
                    {
                        cuts[k] = local * 2 < bytes ? new Boundary(f, 0, 0) : new Boundary(f + 1, 0, 0);
                        continue;
                    }

                    var line = scan.Cuts.FirstOrDefault(cut => cut.Offset >= local);
                    cuts[k] = line.Offset > 0 ? new Boundary(f, line.Offset, line.LinesBefore) : new Boundary(f + 1, 0, 0);
                }
            }

            fileStart += bytes;
        }

        for (; next < wanted.Count; next++)
        {
            cuts[next] = new Boundary(files.Count, 0, 0);
        }

        var bounds = new List<Boundary> { new(0, 0, 0) };
        bounds.AddRange(cuts);
        bounds.Add(new Boundary(files.Count, 0, 0));
        var shards = new List<PlannedShard>(settings.Tasks);
        for (var k = 0; k < settings.Tasks; k++)
        {
            shards.Add(new PlannedShard(Pieces(bounds[k], bounds[k + 1], files.Select(file => file.Bytes).ToList())));
        }

        var planned = files.Select((file, f) => new PlannedInputFile(file.Path, file.Entry, file.Bytes, File.GetLastWriteTimeUtc(file.Path).Ticks, hashes[f])).ToList();
        return new ShardPlan(
            ShardPlan.CurrentVersion,
            ConfigHash(prepared, settings, toolVersion),
            settings.PipelineFile,
            settings.WorkingDirectory,
            settings.SeedOverride,
            settings.OutputOverride,
            settings.FailFast,
            settings.Tasks,
            planned,
            shards,
            [.. ShardSteps.Of(prepared).Select(step => new PlannedStep(
                step.IsSingle,
                step.Kind == ShardStepKind.Resolve ? [step.Describe()] : [.. step.Stages.Prepend(step.DuplicatesOf).OfType<PreparedStage>().Select(stage => stage.Stage.Name)]))]);
    }

    /// <summary>Everything that decides the output, hashed: a plan made from other settings must not share parts with this one.</summary>
    public static string ConfigHash(PreparedPipeline prepared, ShardRunSettings settings, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(settings);
        var text = string.Join(
            "\n",
            toolVersion,
            prepared.SourceSha256,
            Path.GetFullPath(settings.PipelineFile),
            prepared.Definition.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            prepared.OutputDirectory,
            settings.WorkingDirectory,
            settings.Tasks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static List<PlannedPiece> Pieces(Boundary from, Boundary to, List<long> sizes)
    {
        var pieces = new List<PlannedPiece>();
        for (var f = from.File; f < sizes.Count && (f < to.File || (f == to.File && to.Offset > 0)); f++)
        {
            var start = f == from.File ? from.Offset : 0;
            var lines = f == from.File ? from.LinesBefore : 0;
            var end = f == to.File ? to.Offset : sizes[f];
            if (start == 0 && end == sizes[f])
            {
                pieces.Add(new PlannedPiece(f, 0, null, 0));
            }
            else if (end > start)
            {
                pieces.Add(new PlannedPiece(f, start, end, lines));
            }
        }

        return pieces;
    }

    private readonly record struct Boundary(int File, long Offset, long LinesBefore);
}

/// <summary>How the user asked for a sharded run.</summary>
/// <param name="PipelineFile">Full path of the pipeline file.</param>
internal sealed record ShardRunSettings(string PipelineFile, string WorkingDirectory, int Tasks, long? SeedOverride, string? OutputOverride, bool FailFast);
