using static TorchSharp.torch;

namespace Curation.Training.Models;

/// <summary>Keys and values of the positions seen so far, per layer, so generation computes each position once.</summary>
public sealed class KeyValueCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    public KeyValueCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Positions held (by the first layer; read it before a forward pass, when every layer holds as many).</summary>
    public long Length => LengthOf(0);

    /// <summary>Positions layer <paramref name="layer"/> holds now.</summary>
    public long LengthOf(int layer) => _keys[layer]?.shape[2] ?? 0;

    /// <summary>
    /// How <paramref name="time"/> new positions after <paramref name="past"/> cached ones attend: a first pass is
    /// plainly causal; one new position sees everything; several new positions after cached ones need an explicit
    /// mask in which new position i sees keys 0 to past + i. With a sliding <paramref name="window"/> shorter than
    /// the sequence, position p sees only keys p - window + 1 to p (transformers' <c>kv_idx &gt; q_idx - window</c>).
    /// </summary>
    public static (Tensor? Mask, bool Causal) MaskFor(long past, long time, Device device, int? window = null)
    {
        if (window is { } w && past + time > w)
        {
            using var causal = ones(time, past + time, dtype: ScalarType.Bool, device: device).tril(diagonal: past);
            using var tooFar = ones(time, past + time, dtype: ScalarType.Bool, device: device).tril(diagonal: past - w);
            using var inWindow = tooFar.logical_not();
            return (causal.logical_and(inWindow), false);
        }

        if (past == 0)
        {
            return (null, true);
        }

        if (time == 1)
        {
            return (null, false);
        }

        return (ones(time, past + time, dtype: ScalarType.Bool, device: device).tril(diagonal: past), false);
    }

    /// <summary>Appends this step's keys and values [batch, heads, time, dim] and returns everything held for the layer.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        var allKeys = _keys[layer] is { } k ? cat([k, keys], 2) : keys.alias();
        var allValues = _values[layer] is { } v ? cat([v, values], 2) : values.alias();
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        _keys[layer] = allKeys.DetachFromDisposeScope();
        _values[layer] = allValues.DetachFromDisposeScope();
        return (_keys[layer]!, _values[layer]!);
    }

    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values))
        {
            tensor?.Dispose();
        }
    }
}
