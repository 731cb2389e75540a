using System.IO.Hashing;
using System.Text;

namespace Curation.Evaluation.Arms;

/// <summary>
/// Names a local model by its content, not its path: a retrained model in the same folder is a new identity, so the
/// cache never answers for weights that changed.
/// </summary>
internal static class LocalModelIdentity
{
    private static readonly string[] Patterns = ["*.safetensors", "*.json", "tokenizer.model", "*.jinja"];

    public static string Of(string modelFolder, string? adapterFolder) =>
        adapterFolder is null
            ? $"local:{HashOf(modelFolder)}"
            : $"local:{HashOf(modelFolder)}+lora:{HashOf(adapterFolder)}";

    private static string HashOf(string folder)
    {
        var hash = new XxHash128();
        var files = Patterns
            .SelectMany(pattern => Directory.EnumerateFiles(folder, pattern, SearchOption.TopDirectoryOnly))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            hash.Append(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\0"));
            using var stream = File.OpenRead(file);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
            }
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
