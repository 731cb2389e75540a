using System.Globalization;
using Curation.Core;
using Curation.Training.Checkpoints;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Lora;

/// <summary>
/// Any number of PEFT LoRA adapters on one frozen base model, for inference, each under a name; every row of a batch
/// runs with its own adapter or with none (the base model), as a server that addresses adapters by model name needs.
/// </summary>
/// <remarks>
/// <para>
/// Each folder is read as <see cref="LoraAdapter.Load"/> reads it (<c>adapter_config.json</c> with its
/// <c>target_modules</c>, <c>exclude_modules</c>, <c>layers_to_transform</c>, <c>rank_pattern</c>,
/// <c>alpha_pattern</c> and <c>use_rslora</c>, and <c>adapter_model.safetensors</c>), so adapters may adapt different
/// projections with different ranks. Their tensors live on the device of the projection they adapt, in its dtype,
/// as plain tensors: they are no parameters of the model, so they are neither trained nor saved with it.
/// </para>
/// <para>
/// Which adapter each row uses is set for each forward pass with <see cref="Route"/>; outside a route the model
/// computes as the base model. A projection then adds, for each adapter in the batch, B(A(x)) * scaling to that
/// adapter's rows only (all rows at once when they share one adapter). The route is state of the model: one routed
/// forward pass at a time.
/// </para>
/// <code>
/// using var served = ServedAdapters.Load(model, [("support", "/adapters/support"), ("legal", "/adapters/legal")]);
/// var support = served.IndexOf("support")!.Value;
/// using (served.Route([support, null, support]))   // rows 0 and 2: "support"; row 1: the base model
/// {
///     logits = model.ForwardWithCache(ids, cache); // ids: [3, time]
/// }
/// </code>
/// </remarks>
public sealed class ServedAdapters : IDisposable
{
    private readonly List<(AdaptableLinear Layer, ServedProjection Adapters)> _projections;
    private readonly Dictionary<string, int> _indexOf;
    private readonly Device _device;
    private AdapterRoute? _route;
    private bool _disposed;

    private ServedAdapters(IReadOnlyList<string> names, List<(AdaptableLinear, ServedProjection)> projections, Device device)
    {
        Names = names;
        _projections = projections;
        _device = device;
        _indexOf = names.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
    }

    /// <summary>The adapters' names; an adapter's index in <see cref="Route"/> is its position here (the order given to <see cref="Load"/>).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The route of the next forward passes, or null: every row runs the base model.</summary>
    internal AdapterRoute? Current => _route;

    /// <summary>
    /// Reads each adapter folder and puts the adapters on <paramref name="model"/>'s projections, without changing its
    /// parameters. Load after moving the model to its device. Dispose to take the adapters off again.
    /// </summary>
    /// <param name="model">A base model without trainable adapters or other served adapters.</param>
    /// <param name="adapters">Each adapter's name (unique, as requests name it) and folder.</param>
    /// <exception cref="CurationException">A name given twice, or a folder that is no LoRA adapter, one with a feature not implemented, or one for another base model: one line naming the folder.</exception>
    /// <exception cref="InvalidOperationException">The model already carries a trainable adapter or served adapters.</exception>
    public static ServedAdapters Load(CausalLm model, IReadOnlyList<(string Name, string Folder)> adapters)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(adapters);
        var projections = LoraAdapter.Projections(model);
        if (projections.Any(p => p.Layer.HasAdapter || p.Layer.Served is not null))
        {
            throw new InvalidOperationException("the model already carries an adapter; served adapters go on a base model");
        }

        var duplicate = adapters.GroupBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new CurationException($"adapter name '{duplicate.Key}' is given {duplicate.Count()} times; each adapter needs its own name");
        }

        var weights = new List<Dictionary<AdaptableLinear, ServedLoraWeights>>();
        try
        {
            foreach (var (name, folder) in adapters)
            {
                if (string.IsNullOrWhiteSpace(name))
                {
                    throw new CurationException($"{folder}: the adapter has no name");
                }

                weights.Add(Read(model, folder));
            }
        }
        catch
        {
            foreach (var adapter in weights.SelectMany(w => w.Values))
            {
                adapter.Dispose();
            }

            throw;
        }

        var device = model.parameters().FirstOrDefault()?.device ?? CPU;
        var served = new ServedAdapters([.. adapters.Select(a => a.Name)], [], device);
        foreach (var (_, layer) in projections)
        {
            var byAdapter = weights.Select(w => w.GetValueOrDefault(layer)).ToArray();
            if (byAdapter.Any(w => w is not null))
            {
                var projection = new ServedProjection(served, byAdapter);
                served._projections.Add((layer, projection));
                layer.Served = projection;
            }
        }

        return served;
    }

    /// <summary>The index of the adapter named <paramref name="name"/>, or null when none has that name.</summary>
    public int? IndexOf(string name) => _indexOf.TryGetValue(name, out var index) ? index : null;

    /// <summary>
    /// Sets which adapter each batch row uses in the forward passes until the returned scope is disposed; the batch
    /// of every such pass must have exactly this many rows. Set it for each call: a prompt pass of one row and a
    /// decoding step of all rows need their own routes.
    /// </summary>
    /// <param name="adapterPerRow">For each row, an index into <see cref="Names"/>, or null for the base model.</param>
    /// <returns>The route's scope: disposing it returns the model to the base model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No rows, or an index that names no adapter.</exception>
    /// <exception cref="InvalidOperationException">A route is already set (its scope not yet disposed).</exception>
    public IDisposable Route(IReadOnlyList<int?> adapterPerRow)
    {
        ArgumentNullException.ThrowIfNull(adapterPerRow);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (adapterPerRow.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(adapterPerRow), "a route needs at least one row");
        }

        var unknown = adapterPerRow.FirstOrDefault(a => a is < 0 || a >= Names.Count);
        if (unknown is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(adapterPerRow), string.Create(CultureInfo.InvariantCulture, $"adapter index {unknown} names no adapter; there are {Names.Count}"));
        }

        if (_route is not null)
        {
            throw new InvalidOperationException("an adapter route is already set; dispose its scope first");
        }

        _route = new AdapterRoute(this, adapterPerRow, _device);
        return _route;
    }

    /// <summary>Takes the adapters off the model and frees their tensors; the model computes as the base model again.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _route?.Dispose();
        foreach (var (layer, adapters) in _projections)
        {
            layer.Served = null;
            adapters.Dispose();
        }
    }

    internal void EndRoute(AdapterRoute route)
    {
        if (ReferenceEquals(_route, route))
        {
            _route = null;
        }
    }

    // One folder's adapter: which projections it adapts (PEFT's selection, as LoraAdapter.Attach), with its tensors.
    private static Dictionary<AdaptableLinear, ServedLoraWeights> Read(CausalLm model, string folder)
    {
        var options = PeftAdapterConfig.Read(Path.Combine(folder, LoraAdapter.ConfigFile));
        List<(string Name, AdaptableLinear Layer)> selected;
        try
        {
            selected = LoraAdapter.Select(model, options);
        }
        catch (CurationException ex)
        {
            throw new CurationException($"{folder}: {ex.Message}", ex);
        }

        var expected = new Dictionary<string, (AdaptableLinear Layer, long[] Shape)>(StringComparer.Ordinal);
        foreach (var (name, layer) in selected)
        {
            var rank = options.RankOf(name);
            expected[$"{name}.lora_A.weight"] = (layer, [rank, layer.Inputs]);
            expected[$"{name}.lora_B.weight"] = (layer, [layer.Outputs, rank]);
        }

        var file = SafetensorsFile.Open(Path.Combine(folder, LoraAdapter.WeightsFile));
        var loaded = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, entry) in file.Tensors)
            {
                var parameterName = LoraAdapter.ParameterNameOf(name);
                if (!expected.TryGetValue(parameterName, out var target) || !target.Shape.SequenceEqual(entry.Shape) || loaded.ContainsKey(parameterName))
                {
                    throw new CurationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{folder}: adapter tensor '{name}' [{string.Join(", ", entry.Shape)}] does not fit this {model.Config.ModelType} model: an adapter of another base model?"));
                }

                using var values = tensor(file.ReadFloats(entry), entry.Shape);
                loaded[parameterName] = values.to(target.Layer.Weight.dtype, target.Layer.Weight.device).DetachFromDisposeScope();
            }

            if (loaded.Count != expected.Count)
            {
                throw new CurationException(string.Create(CultureInfo.InvariantCulture, $"{folder}: the adapter holds {loaded.Count} LoRA tensors; its config implies {expected.Count}"));
            }
        }
        catch
        {
            foreach (var value in loaded.Values)
            {
                value.Dispose();
            }

            throw;
        }

        return selected.ToDictionary(
            p => p.Layer,
            p => new ServedLoraWeights(loaded[$"{p.Name}.lora_A.weight"], loaded[$"{p.Name}.lora_B.weight"], options.ScalingOf(p.Name)));
    }
}
