using System.Globalization;
using System.Text.Json;
using Curation.Core;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Checkpoints;

/// <summary>
/// A Hugging Face model folder: <c>config.json</c> with <c>model.safetensors</c> or a sharded
/// <c>model.safetensors.index.json</c>. Loads into a <see cref="CausalLm"/> by tensor name, checking that every
/// parameter is present with the shape the config implies; F32, F16 and BF16 weights become float32.
/// </summary>
public sealed class Checkpoint
{
    public const string ConfigFile = "config.json";
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private Checkpoint(string folder, ModelConfig config, IReadOnlyDictionary<string, (SafetensorsFile File, TensorEntry Entry)> tensors)
    {
        Folder = folder;
        Config = config;
        Tensors = tensors;
    }

    public string Folder { get; }

    public ModelConfig Config { get; }

    public IReadOnlyDictionary<string, (SafetensorsFile File, TensorEntry Entry)> Tensors { get; }

    /// <exception cref="CurationException">A missing file, a shard the index names but that is absent, or a damaged file.</exception>
    public static Checkpoint Open(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new CurationException($"{folder}: model folder not found");
        }

        return Open(folder, ModelConfig.Load(Path.Combine(full, ConfigFile)));
    }

    /// <summary>The weights of a folder without a <c>config.json</c> (a training checkpoint), for a model of <paramref name="config"/>.</summary>
    /// <exception cref="CurationException">A missing file, a shard the index names but that is absent, or a damaged file.</exception>
    public static Checkpoint Open(string folder, ModelConfig config)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new CurationException($"{folder}: model folder not found");
        }

        var tensors = new Dictionary<string, (SafetensorsFile, TensorEntry)>(StringComparer.Ordinal);
        var single = Path.Combine(full, SingleFile);
        var index = Path.Combine(full, IndexFile);
        IEnumerable<string> files;
        if (File.Exists(single))
        {
            files = [single];
        }
        else if (File.Exists(index))
        {
            files = ShardsOf(index, full);
        }
        else
        {
            throw new CurationException($"{folder}: no {SingleFile} and no {IndexFile}: expected a Hugging Face checkpoint in safetensors format");
        }

        foreach (var file in files)
        {
            var opened = SafetensorsFile.Open(file);
            foreach (var (name, entry) in opened.Tensors)
            {
                if (!tensors.TryAdd(name, (opened, entry)))
                {
                    throw new CurationException($"{file}: tensor '{name}' is also in another shard");
                }
            }
        }

        return new Checkpoint(full, config, tensors);
    }

    private static List<string> ShardsOf(string index, string folder)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(index));
            var shards = document.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var missing = shards.FirstOrDefault(shard => !File.Exists(Path.Combine(folder, shard)));
            return missing is null
                ? [.. shards.Select(shard => Path.Combine(folder, shard))]
                : throw new CurationException($"{index}: names shard '{missing}', which is not in the folder");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CurationException($"{index}: not a safetensors index (expected {{\"weight_map\": {{tensor: file}}}}): {ex.Message}", ex);
        }
    }

    /// <summary>Builds the model the config describes and fills every parameter from the checkpoint.</summary>
    /// <exception cref="CurationException">A missing tensor, a wrong shape or a tensor the model has no place for, named.</exception>
    public CausalLm LoadModel()
    {
        var model = CausalLm.Create(Config);
        LoadInto(model);
        return model;
    }

    /// <summary>Copies the checkpoint's tensors into the model's parameters of the same (Hugging Face) names.</summary>
    public void LoadInto(CausalLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var parameters = model.named_parameters().Where(p => !p.name.Contains(".lora_", StringComparison.Ordinal)).ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var filled = new HashSet<string>(StringComparer.Ordinal);
        using (no_grad())
        {
            foreach (var (name, (file, entry)) in Tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                var parameterName = model.ParameterNameOf(name);
                if (!parameters.TryGetValue(parameterName, out var parameter))
                {
                    if (model.IsIgnorableTensor(name))
                    {
                        continue;
                    }

                    throw new CurationException($"{Folder}: tensor '{name}' has no place in a {Config.ModelType} model with this config ({Config}): a checkpoint of another architecture?");
                }

                var expected = parameter.shape;
                if (!expected.SequenceEqual(entry.Shape))
                {
                    throw new CurationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{Folder}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}]; config.json implies [{string.Join(", ", expected)}]"));
                }

                using var values = tensor(file.ReadFloats(entry), entry.Shape);
                parameter.copy_(values);
                filled.Add(parameterName);
            }
        }

        var missing = parameters.Keys.Where(name => !filled.Contains(name)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new CurationException(string.Create(
                CultureInfo.InvariantCulture,
                $"{Folder}: tensor '{missing[0]}' (shape [{string.Join(", ", parameters[missing[0]].shape)}]) is missing from the checkpoint{(missing.Count > 1 ? $", and {missing.Count - 1} more" : string.Empty)}"));
        }
    }

    /// <summary>The files of a model folder besides its weights, copied from the base model when it has them.</summary>
    public static readonly IReadOnlyList<string> CompanionFiles =
        [ConfigFile, "tokenizer.json", "tokenizer.model", "tokenizer_config.json", "generation_config.json", "special_tokens_map.json"];

    /// <summary>
    /// Writes a complete model folder: the model's weights and <see cref="CompanionFiles"/> from
    /// <paramref name="baseFolder"/>, each file atomically. Other files in the folder are left alone.
    /// </summary>
    public static IReadOnlyList<string> WriteModelFolder(CausalLm model, string folder, string baseFolder)
    {
        var written = WriteWeights(model, folder).ToList();
        foreach (var file in CompanionFiles.Where(file => File.Exists(Path.Combine(baseFolder, file))))
        {
            OutputFiles.Copy(Path.Combine(baseFolder, file), Path.Combine(folder, file));
            written.Add(Path.Combine(folder, file));
        }

        return written;
    }

    /// <summary>Writes the model's parameters as <c>model.safetensors</c> (or shards of at most <paramref name="shardBytes"/>), each file atomically.</summary>
    public static IReadOnlyList<string> WriteWeights(CausalLm model, string folder, TensorDType dtype = TensorDType.F32, long? shardBytes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = model.named_parameters()
            .Where(p => !p.name.Contains(".lora_", StringComparison.Ordinal))
            .Select(p => (Name: p.name, Shape: p.parameter.shape, Values: p.parameter.detach().cpu().to(float32).data<float>().ToArray()))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var elementBytes = dtype == TensorDType.F32 ? 4 : 2;
        if (shardBytes is null || tensors.Sum(t => (long)t.Values.Length * elementBytes) <= shardBytes)
        {
            var path = Path.Combine(folder, SingleFile);
            SafetensorsFile.Write(path, tensors, dtype, new Dictionary<string, string> { ["format"] = "pt" });
            return [path];
        }

        var shards = new List<List<(string Name, long[] Shape, float[] Values)>> { new() };
        var size = 0L;
        foreach (var tensorEntry in tensors)
        {
            var bytes = (long)tensorEntry.Values.Length * elementBytes;
            if (size > 0 && size + bytes > shardBytes)
            {
                shards.Add([]);
                size = 0;
            }

            shards[^1].Add(tensorEntry);
            size += bytes;
        }

        var written = new List<string>();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"model-{i + 1:00000}-of-{shards.Count:00000}.safetensors");
            SafetensorsFile.Write(Path.Combine(folder, name), shards[i], dtype, new Dictionary<string, string> { ["format"] = "pt" });
            foreach (var tensorEntry in shards[i])
            {
                weightMap[tensorEntry.Name] = name;
            }

            written.Add(Path.Combine(folder, name));
        }

        var index = Path.Combine(folder, IndexFile);
        OutputFiles.WriteText(index, JsonSerializer.Serialize(new { metadata = new { total_size = tensors.Sum(t => (long)t.Values.Length * elementBytes) }, weight_map = weightMap }, Indented));
        written.Add(index);
        return written;
    }
}
