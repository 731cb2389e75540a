using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Curation.Core;

namespace Curation.Training.Checkpoints;

/// <summary>A file of a checkpoint as it was written: its size and SHA-256 (lowercase hex).</summary>
internal sealed record FileDigest(long Bytes, string Sha256)
{
    public static FileDigest Of(string path)
    {
        using var stream = File.OpenRead(path);
        return new FileDigest(stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}

/// <summary>
/// A checkpoint's <c>trainer_state.json</c>: the step it was taken after, the run's shape, torch's random state and
/// each file's digest. Reading it checks every field it needs, so a damaged state file is one line naming the field.
/// </summary>
internal sealed record TrainerState(int Step, int TotalSteps, long Seed, bool Lora, byte[] RandomState, IReadOnlyDictionary<string, FileDigest>? Files)
{
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["step"] = Step,
            ["total_steps"] = TotalSteps,
            ["seed"] = Seed,
            ["lora"] = Lora,
            ["torch_rng_state"] = Convert.ToBase64String(RandomState),
        };
        if (Files is not null)
        {
            var files = new JsonObject();
            foreach (var (name, digest) in Files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                files[name] = new JsonObject { ["bytes"] = digest.Bytes, ["sha256"] = digest.Sha256 };
            }

            json["files"] = files;
        }

        return json.ToJsonString();
    }

    /// <exception cref="CurationException">The file is missing, not JSON, or a field is missing or of the wrong type: one line naming it.</exception>
    public static TrainerState Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CurationException($"{path}: missing; not a checkpoint folder written by curate train");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            throw new CurationException($"{path}: damaged: not valid JSON ({ex.Message})", ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CurationException($"{path}: damaged: expected a JSON object");
        }

        return new TrainerState(
            PositiveInt(root, "step", path),
            PositiveInt(root, "total_steps", path),
            root.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number && seed.TryGetInt64(out var value) ? value : throw Damaged(path, "seed", "an integer"),
            root.TryGetProperty("lora", out var lora) && lora.ValueKind is JsonValueKind.True or JsonValueKind.False ? lora.GetBoolean() : throw Damaged(path, "lora", "true or false"),
            RandomStateOf(root, path),
            FilesOf(root, path));
    }

    private static int PositiveInt(JsonElement root, string name, string path) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
            ? number
            : throw Damaged(path, name, "a positive integer");

    private static byte[] RandomStateOf(JsonElement root, string path)
    {
        if (root.TryGetProperty("torch_rng_state", out var value) && value.ValueKind == JsonValueKind.String && value.TryGetBytesFromBase64(out var bytes) && bytes.Length > 0)
        {
            return bytes;
        }

        throw Damaged(path, "torch_rng_state", "torch's random state in base64");
    }

    // Older checkpoints have no digests; they are checked for presence only.
    private static Dictionary<string, FileDigest>? FilesOf(JsonElement root, string path)
    {
        if (!root.TryGetProperty("files", out var files))
        {
            return null;
        }

        if (files.ValueKind != JsonValueKind.Object)
        {
            throw Damaged(path, "files", "an object of file name to {bytes, sha256}");
        }

        var digests = new Dictionary<string, FileDigest>(StringComparer.Ordinal);
        foreach (var file in files.EnumerateObject())
        {
            if (file.Value.ValueKind != JsonValueKind.Object
                || !file.Value.TryGetProperty("bytes", out var bytes) || bytes.ValueKind != JsonValueKind.Number || !bytes.TryGetInt64(out var size) || size < 0
                || !file.Value.TryGetProperty("sha256", out var sha) || sha.ValueKind != JsonValueKind.String || sha.GetString()!.Length != 64
                || file.Name.Contains('/', StringComparison.Ordinal) || file.Name.Contains('\\', StringComparison.Ordinal) || file.Name.StartsWith('.'))
            {
                throw Damaged(path, $"files.{file.Name}", "{bytes, sha256} of a file in the checkpoint folder");
            }

            digests[file.Name] = new FileDigest(size, sha.GetString()!);
        }

        return digests;
    }

    private static CurationException Damaged(string path, string field, string expected) =>
        new($"{path}: damaged: '{field}' is missing or not {expected}");
}
