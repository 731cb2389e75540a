using System.Globalization;
using System.Text.Json;
using Curation.Core;
using Curation.Training.Checkpoints;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Lora;

/// <summary>
/// Puts LoRA adapters on a model's projections (the base frozen), and reads and writes them as PEFT does: an
/// <c>adapter_config.json</c> and an <c>adapter_model.safetensors</c> whose tensors are named
/// <c>base_model.model.&lt;module&gt;.lora_A.weight</c> [rank, in] and <c>…lora_B.weight</c> [out, rank].
/// </summary>
public static class LoraAdapter
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    private const string PeftPrefix = "base_model.model.";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Freezes every base parameter and adapts each projection the options select (PEFT's rules: see
    /// <see cref="PeftModuleMatch"/>), each with its rank and alpha from <c>rank_pattern</c> and <c>alpha_pattern</c>.
    /// </summary>
    /// <returns>The adapted modules' names.</returns>
    /// <exception cref="CurationException">A target, a pattern or the layers select no projection of this model.</exception>
    public static IReadOnlyList<string> Attach(CausalLm model, LoraOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }

        var selected = Select(model, options);
        foreach (var (name, layer) in selected)
        {
            layer.AttachAdapter(options.RankOf(name), options.ScalingOf(name), options.Dropout);
        }

        return [.. selected.Select(p => p.Name)];
    }

    /// <summary>The projections <paramref name="options"/> adapt, under their Hugging Face names.</summary>
    /// <exception cref="CurationException">A target, a pattern or the layers select no projection of this model.</exception>
    internal static List<(string Name, AdaptableLinear Layer)> Select(CausalLm model, LoraOptions options)
    {
        var architecture = model.Config.Architecture;
        var projections = Projections(model);
        var names = string.Join(", ", projections.Select(p => p.Name[(p.Name.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        if (options.TargetPattern is null)
        {
            var unmatched = options.TargetsFor(architecture).FirstOrDefault(t => !projections.Any(p => PeftModuleMatch.EndsWithName(p.Name, t)));
            if (unmatched is not null)
            {
                throw new CurationException($"LoRA target module '{unmatched}' matches no projection of this {model.Config.ModelType} model; it has {names}");
            }
        }

        var selected = projections.Where(p => PeftModuleMatch.Selects(options, architecture, p.Name)).ToList();
        if (selected.Count == 0)
        {
            var what = options.LayersToTransform is { Count: > 0 } layers
                ? string.Create(CultureInfo.InvariantCulture, $"layers_to_transform [{string.Join(", ", layers)}] selects no layer of this {model.Config.ModelType} model ({model.Config.Layers} layers)")
                : $"target_modules '{options.TargetPattern}' matches no projection of this {model.Config.ModelType} model; it has {names}";
            throw new CurationException($"LoRA {what}");
        }

        return selected;
    }

    /// <summary>
    /// Writes the adapter as PEFT's <c>save_pretrained</c> does, each file atomically: the weights first, then the config,
    /// so a folder whose config is new has new weights too. Other files in the folder are left alone.
    /// </summary>
    public static IReadOnlyList<string> Save(CausalLm model, LoraOptions options, string folder, string baseModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var adapted = Projections(model).Where(p => p.Layer.HasAdapter).ToList();
        var tensors = new List<(string, long[], float[])>();
        foreach (var (name, layer) in adapted)
        {
            tensors.Add(($"{PeftPrefix}{name}.lora_A.weight", layer.LoraA!.weight!.shape, Floats(layer.LoraA.weight!)));
            tensors.Add(($"{PeftPrefix}{name}.lora_B.weight", layer.LoraB!.weight!.shape, Floats(layer.LoraB.weight!)));
        }

        var weights = Path.Combine(folder, WeightsFile);
        SafetensorsFile.Write(weights, tensors, TensorDType.F32, new Dictionary<string, string> { ["format"] = "pt" });
        var config = PeftAdapterConfig.For(options, model.Config.Architecture, [.. adapted.Select(p => p.Name)], baseModel);
        var configPath = Path.Combine(folder, ConfigFile);
        OutputFiles.WriteText(configPath, config.ToJsonString(Indented) + "\n");
        return [configPath, weights];
    }

    /// <summary>Reads a PEFT LoRA adapter folder and attaches it to the model.</summary>
    /// <exception cref="CurationException">Not a LoRA adapter, one with a feature not implemented, or one for another model (names or shapes do not fit).</exception>
    public static LoraOptions Load(CausalLm model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        var options = PeftAdapterConfig.Read(Path.Combine(folder, ConfigFile));
        Attach(model, options);
        LoadWeights(model, folder);
        return options;
    }

    /// <summary>Copies an adapter folder's LoRA tensors into a model that already has adapters of the same shape.</summary>
    public static void LoadWeights(CausalLm model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = SafetensorsFile.Open(Path.Combine(folder, WeightsFile));
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var filled = 0;
        using (no_grad())
        {
            foreach (var (name, entry) in weights.Tensors)
            {
                if (!parameters.TryGetValue(ParameterNameOf(name), out var parameter) || !parameter.shape.SequenceEqual(entry.Shape))
                {
                    throw new CurationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{folder}: adapter tensor '{name}' [{string.Join(", ", entry.Shape)}] does not fit this {model.Config.ModelType} model: an adapter of another base model?"));
                }

                using var values = tensor(weights.ReadFloats(entry), entry.Shape);
                parameter.copy_(values);
                filled++;
            }
        }

        var expected = Projections(model).Count(p => p.Layer.HasAdapter) * 2;
        if (filled != expected)
        {
            throw new CurationException(string.Create(CultureInfo.InvariantCulture, $"{folder}: the adapter holds {filled} LoRA tensors; its config implies {expected}"));
        }
    }

    /// <summary>Adds each adapter into its base weight and zeroes B, so the model computes the same with merged weights.</summary>
    public static void Merge(CausalLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using (no_grad())
        {
            foreach (var (_, layer) in Projections(model).Where(p => p.Layer.HasAdapter))
            {
                using var delta = layer.AdapterDelta();
                layer.Weight.add_(delta, Constants.One);
                layer.LoraB!.weight!.zero_();
            }
        }
    }

    /// <summary>The adapter's trainable parameters.</summary>
    public static IReadOnlyList<Tensor> TrainableParameters(CausalLm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (Tensor)p.parameter)];
    }

    /// <summary>The model's parameter name for an adapter file's tensor name: without PEFT's prefix and adapter name "default".</summary>
    internal static string ParameterNameOf(string tensorName)
    {
        var name = tensorName.StartsWith(PeftPrefix, StringComparison.Ordinal) ? tensorName[PeftPrefix.Length..] : tensorName;
        return name.Replace(".lora_A.default.", ".lora_A.", StringComparison.Ordinal).Replace(".lora_B.default.", ".lora_B.", StringComparison.Ordinal);
    }

    // TorchSharp's named_modules also lists modules under their C# field names ("_q"); each projection is taken once,
    // under the name it was registered with, which is Hugging Face's.
    internal static List<(string Name, AdaptableLinear Layer)> Projections(CausalLm model) =>
        [.. model.named_modules()
            .Where(m => m.module is AdaptableLinear && !m.name.Split('.').Any(part => part.StartsWith('_')))
            .DistinctBy(m => m.module, ReferenceEqualityComparer.Instance)
            .Select(m => (m.name, (AdaptableLinear)m.module))];

    private static float[] Floats(Tensor tensor) => tensor.detach().cpu().to(float32).contiguous().data<float>().ToArray();
}
