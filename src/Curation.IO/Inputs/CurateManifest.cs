using System.Text.Json;
using Curation.Core.Manifest;
using Curation.IO.Formats;

namespace Curation.IO.Inputs;

/// <summary>
/// The manifest.json of an earlier <c>curate run</c>, as far as reading inputs needs it: which files that run wrote.
/// A manifest is recognised by how curate starts it, <c>{"tool": {"name": "curate", ...</c>, read from its first bytes.
/// </summary>
internal sealed class CurateManifest
{
    public const string FileName = ManifestWriter.FileName;

    private const int HeadBytes = 4096;

    private CurateManifest(string path, IReadOnlyList<Output> outputs)
    {
        Path = path;
        Outputs = outputs;
    }

    /// <summary>The manifest's full path.</summary>
    public string Path { get; }

    /// <summary>Each file the run listed, with every place it may be now.</summary>
    public IReadOnlyList<Output> Outputs { get; }

    /// <summary>Whether the file starts as curate's manifests do; false for anything unreadable.</summary>
    public static bool IsOne(string path)
    {
        var head = FileHead.Read(path, HeadBytes);
        var reader = new Utf8JsonReader(Utf8Bom.Skip(head), isFinalBlock: false, default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("tool"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("name"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isName)
                {
                    return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("curate"u8);
                }

                if (!reader.TrySkip())
                {
                    return false;
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>The manifest at <paramref name="path"/> when it is curate's; null otherwise.</summary>
    public static CurateManifest? TryRead(string path)
    {
        if (!IsOne(path))
        {
            return null;
        }

        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var listed = new List<(string Path, string Role)>();
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array)
            {
                foreach (var output in outputs.EnumerateArray())
                {
                    if (output.ValueKind == JsonValueKind.Object
                        && output.TryGetProperty("path", out var file) && file.ValueKind == JsonValueKind.String
                        && file.GetString() is { Length: > 0 } text)
                    {
                        var role = output.TryGetProperty("role", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                        listed.Add((text, role ?? "output"));
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // Recognised but unreadable past its start: it is still skipped, it just names no outputs.
        }

        // The data file lies directly in the output folder, beside the manifest: where it was tells where the folder
        // was, so that outputs are still found after the folder has been moved.
        var dataFolder = listed
            .Where(output => output.Role == "data")
            .Select(output => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(output.Path, folder)))
            .FirstOrDefault();
        var result = new List<Output>(listed.Count);
        foreach (var (file, role) in listed)
        {
            var candidates = new List<string> { System.IO.Path.GetFullPath(file, folder) };
            if (!System.IO.Path.IsPathRooted(file))
            {
                candidates.Add(System.IO.Path.GetFullPath(file));
            }

            if (dataFolder is not null)
            {
                candidates.Add(System.IO.Path.GetFullPath(System.IO.Path.GetRelativePath(dataFolder, candidates[0]), folder));
            }

            result.Add(new Output(role, candidates));
        }

        return new CurateManifest(System.IO.Path.GetFullPath(path), result);
    }

    /// <summary>A file the run wrote: its role ("data", "rejects", "clusters"...) and the paths it may have now.</summary>
    public sealed record Output(string Role, IReadOnlyList<string> Candidates);
}
