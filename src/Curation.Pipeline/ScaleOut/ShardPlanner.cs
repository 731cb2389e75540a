using System.Security.Cryptography;
using System.Text;
using Curation.Core.Config;
using Curation.IO.Compression;
using Curation.IO.Inputs;
using Curation.IO.Readers;
using Curation.IO.Shards;

namespace Curation.Pipeline.ScaleOut;

/// <summary>
/// Cuts a prepared pipeline's inputs into N shards of about equal bytes, in read order, so that the shards' outputs
/// concatenated in order are the output of one process. A cut that falls inside an uncompressed JSON Lines file moves
/// to the next line start; inside an uncompressed CSV/TSV file to the next row start after the header (quote state
/// followed from the top of the file); inside a Parquet file to the nearest row group start or end of the file; inside
/// any other file (compressed, JSON arrays) to the nearer end of the file. A shard may be empty when there are more
/// tasks than places to cut.
/// </summary>
internal static class ShardPlanner
{
    public static ShardPlan Plan(PreparedPipeline prepared, ShardRunSettings settings, string toolVersion)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Tasks, 1);
        var files = new List<(string Path, int Entry, long Bytes, InputOptions Options)>();
        for (var entry = 0; entry < prepared.Inputs.Count; entry++)
        {
            foreach (var path in prepared.Inputs[entry].Files)
            {
                files.Add((path, entry, InputFileFacts.Of(path).Length, prepared.Inputs[entry].Options));
            }
        }

        var total = files.Sum(file => file.Bytes);
        var wanted = Enumerable.Range(1, settings.Tasks - 1).Select(k => (long)((Int128)total * k / settings.Tasks)).ToList();

        // Each cut as (file, offset in it, lines and rows before it); the end of file f is the start of file f + 1.
        var cuts = new Boundary[wanted.Count];
        var hashes = new string?[files.Count];
        long fileStart = 0;
        var next = 0;
        for (var f = 0; f < files.Count && next < wanted.Count; f++)
        {
            var (path, _, bytes, options) = files[f];
            var inside = new List<int>();
            while (next < wanted.Count && wanted[next] < fileStart + bytes)
            {
                if (wanted[next] <= fileStart)
                {
                    cuts[next] = new Boundary(f, 0, 0, 0);
                }
                else
                {
                    inside.Add(next);
                }

                next++;
            }

            if (inside.Count > 0)
            {
                var local = inside.Select(k => wanted[k] - fileStart).ToList();
                var places = Places(path, options, local);
                hashes[f] = places?.Scan.Sha256;
                for (var i = 0; i < inside.Count; i++)
                {
                    // No place inside: a file read whole, or a Parquet file whose nearest place is an end, goes to its
                    // nearer end; a forward scan found no place after the offset, so the file's end is the cut.
                    cuts[inside[i]] = places?.Choose(local[i]) is { } cut
                        ? new Boundary(f, cut.Offset, cut.LinesBefore, cut.RowsBefore)
                        : local[i] * 2 < bytes && (places is null || places.Nearest) ? new Boundary(f, 0, 0, 0) : new Boundary(f + 1, 0, 0, 0);
                }
            }

            fileStart += bytes;
        }

        for (; next < wanted.Count; next++)
        {
            cuts[next] = new Boundary(files.Count, 0, 0, 0);
        }

        var bounds = new List<Boundary> { new(0, 0, 0, 0) };
        bounds.AddRange(cuts);
        bounds.Add(new Boundary(files.Count, 0, 0, 0));
        var shards = new List<PlannedShard>(settings.Tasks);
        for (var k = 0; k < settings.Tasks; k++)
        {
            shards.Add(new PlannedShard(Pieces(bounds[k], bounds[k + 1], files.Select(file => file.Bytes).ToList())));
        }

        var planned = files.Select((file, f) => new PlannedInputFile(file.Path, file.Entry, file.Bytes, InputFileFacts.Of(file.Path).LastWriteTimeUtc.Ticks, hashes[f])).ToList();
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
            [.. ShardSteps.Of(prepared).Select(step => new PlannedStep(step.IsSingle, step.StageNames()))]);
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

    /// <summary>Where a file can be cut near the wanted offsets (ascending, inside it); null when it is read whole.</summary>
    private static FilePlaces? Places(string path, InputOptions options, IReadOnlyList<long> wanted)
    {
        if (!InputFileType.TryFromPath(path, out var type))
        {
            return null;
        }

        var uncompressed = type.Compression == CompressionKind.None;
        return type.Kind switch
        {
            InputFileKind.JsonLines when uncompressed => FilePlaces.Forward(LineCuts.Scan(path, wanted)),
            InputFileKind.Csv or InputFileKind.Tsv when uncompressed =>
                FilePlaces.Forward(CsvRowCuts.Scan(path, CsvDelimiter.Resolve(options.Delimiter, type.Kind == InputFileKind.Tsv), wanted)),
            InputFileKind.Parquet => FilePlaces.NearestOf(ParquetCuts.Scan(path)),
            _ => null,
        };
    }

    private static List<PlannedPiece> Pieces(Boundary from, Boundary to, List<long> sizes)
    {
        var pieces = new List<PlannedPiece>();
        for (var f = from.File; f < sizes.Count && (f < to.File || (f == to.File && to.Offset > 0)); f++)
        {
            var start = f == from.File ? from.Offset : 0;
            var lines = f == from.File ? from.LinesBefore : 0;
            var rows = f == from.File ? from.RowsBefore : 0;
            var end = f == to.File ? to.Offset : sizes[f];
            if (start == 0 && end == sizes[f])
            {
                pieces.Add(new PlannedPiece(f, 0, null, 0));
            }
            else if (end > start)
            {
                pieces.Add(new PlannedPiece(f, start, end, lines, rows));
            }
        }

        return pieces;
    }

    private readonly record struct Boundary(int File, long Offset, long LinesBefore, long RowsBefore);

    /// <summary>
    /// The places a scanned file may be cut: a wanted offset moves forward to the next one (lines, rows), or to the
    /// nearest one, file start and end included (Parquet row groups, which are few and large).
    /// </summary>
    private sealed record FilePlaces(LineCutScan Scan, bool Nearest)
    {
        public static FilePlaces? Forward(LineCutScan? scan) => scan is null ? null : new FilePlaces(scan, Nearest: false);

        public static FilePlaces? NearestOf(LineCutScan? scan) => scan is null ? null : new FilePlaces(scan, Nearest: true);

        /// <summary>The cut for a wanted offset; null when the file's start or end is the place (which, the caller decides by the same rule).</summary>
        public LineCut? Choose(long wanted)
        {
            if (!Nearest)
            {
                return Scan.Cuts.FirstOrDefault(cut => cut.Offset >= wanted) is { Offset: > 0 } next ? next : null;
            }

            var best = Math.Min(wanted, Scan.Bytes - wanted);
            LineCut? chosen = null;
            foreach (var cut in Scan.Cuts)
            {
                if (Math.Abs(cut.Offset - wanted) < best)
                {
                    best = Math.Abs(cut.Offset - wanted);
                    chosen = cut;
                }
            }

            return chosen;
        }
    }
}

/// <summary>How the user asked for a sharded run.</summary>
/// <param name="PipelineFile">Full path of the pipeline file.</param>
internal sealed record ShardRunSettings(string PipelineFile, string WorkingDirectory, int Tasks, long? SeedOverride, string? OutputOverride, bool FailFast);
