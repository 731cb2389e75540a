using System.Text.Json;
using Curation.Core.Files;
using Curation.IO.Formats;

namespace Curation.IO.Inputs;

/// <summary>
/// Recognises what earlier <c>curate run</c>s wrote, so that a run never reads it back as data: beside the files a
/// folder or glob entry found, each curate manifest.json names the files its run wrote (data, rejects, stage files).
/// </summary>
internal sealed class EarlierRuns
{
    private const int RejectsHeadBytes = 16384;

    private readonly Dictionary<string, (string Reason, string? Role)> _files = new(RealPath.Comparer);

    private EarlierRuns()
    {
    }

    /// <summary>
    /// Reads the curate manifests in the folders of <paramref name="files"/> and in every folder between them and
    /// <paramref name="root"/> (an output folder may hold its rejects in a subfolder).
    /// </summary>
    public static EarlierRuns Near(IEnumerable<string> files, string root, RealPathResolver realPaths)
    {
        var runs = new EarlierRuns();
        var rootPrefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        var folders = new HashSet<string>(RealPath.Comparer);
        foreach (var file in files)
        {
            for (var folder = Path.GetDirectoryName(file); folder is not null && folders.Add(folder); folder = Path.GetDirectoryName(folder))
            {
                if (!(folder + Path.DirectorySeparatorChar).StartsWith(rootPrefix, RealPath.Comparison))
                {
                    break;
                }

                var path = Path.Combine(folder, CurateManifest.FileName);
                if (File.Exists(path) && CurateManifest.TryRead(path) is { } manifest)
                {
                    runs.Add(manifest, realPaths);
                }
            }
        }

        return runs;
    }

    /// <summary>
    /// Why the file at <paramref name="realPath"/> is not read, when an earlier run wrote it, and its role there (null
    /// for the manifest itself).
    /// </summary>
    public bool TryGet(string realPath, out string reason, out string? role)
    {
        var found = _files.TryGetValue(realPath, out var file);
        (reason, role) = found ? file : (string.Empty, null);
        return found;
    }

    /// <summary>
    /// Why a file named on its own cannot be read: curate's manifest or rejects file, or another non-data file a
    /// manifest beside it lists. Null for anything else, including an earlier run's data file (pipelines chain).
    /// </summary>
    public static string? RefuseExplicit(string path, RealPathResolver realPaths)
    {
        if (CurateManifest.IsOne(path))
        {
            return "this is curate's manifest of an earlier run, not data";
        }

        var sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, CurateManifest.FileName);
        if (File.Exists(sibling) && CurateManifest.TryRead(sibling) is { } manifest)
        {
            var real = realPaths.Of(path);
            foreach (var output in manifest.Outputs)
            {
                if (output.Role != "data" && output.Candidates.Any(candidate => RealPath.Comparer.Equals(realPaths.Of(candidate), real)))
                {
                    return output.Role == "rejects"
                        ? $"this is curate's rejects file of an earlier run ({DisplayPath.For(manifest.Path)}), not data"
                        : $"this is the {output.Role} file of an earlier curate run ({DisplayPath.For(manifest.Path)}), not data";
                }
            }
        }

        return LooksLikeRejects(path) ? "this is curate's rejects file of an earlier run, not data" : null;
    }

    /// <summary>Curate's rejects lines start with "stage", "rule", "detail" and "source", in that order.</summary>
    private static bool LooksLikeRejects(string path)
    {
        var head = FileHead.Read(path, RejectsHeadBytes);
        var reader = new Utf8JsonReader(Utf8Bom.Skip(head), isFinalBlock: false, default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            foreach (var key in (ReadOnlySpan<string>)["stage", "rule", "detail"])
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(key)
                    || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }
            }

            return reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("source"u8);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Add(CurateManifest manifest, RealPathResolver realPaths)
    {
        _files.TryAdd(realPaths.Of(manifest.Path), ("curate's manifest of an earlier run", null));
        foreach (var output in manifest.Outputs)
        {
            foreach (var candidate in output.Candidates)
            {
                _files.TryAdd(realPaths.Of(candidate), ($"written by an earlier curate run ({DisplayPath.For(manifest.Path)}, role {output.Role})", output.Role));
            }
        }
    }
}
