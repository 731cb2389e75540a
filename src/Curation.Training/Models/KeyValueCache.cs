using TorchSharp;
using static TorchSharp.torch;

namespace Curation.Training.Models;

/// <summary>
/// Keys and values of the positions seen so far, per layer, so generation computes each position once. Several
/// sequences share one cache as rows of a batch: their positions are right-aligned (left padding), so that one new
/// token per row is one new column for all; <see cref="Padding"/> says how many leading columns of each row are not
/// part of its sequence, and masks and positions follow from it.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    private long[] _padding = [];

    public KeyValueCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Positions held (by the first layer; read it before a forward pass, when every layer holds as many).</summary>
    public long Length => LengthOf(0);

    /// <summary>Sequences held, one per row.</summary>
    public int Rows => _padding.Length;

    /// <summary>Per row, the leading columns that are padding, not positions of its sequence.</summary>
    public IReadOnlyList<long> Padding => _padding;

    /// <summary>Whether some row holds padding, so that masks and positions differ per row.</summary>
    public bool IsPadded => _padding.Any(columns => columns > 0);

    /// <summary>Positions layer <paramref name="layer"/> holds now.</summary>
    public long LengthOf(int layer) => _keys[layer]?.shape[2] ?? 0;

    /// <summary>Positions row <paramref name="row"/>'s sequence has.</summary>
    public long SequenceLength(int row) => Length - _padding[row];

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

    /// <summary>
    /// The mask for <paramref name="time"/> new positions in layer <paramref name="layer"/>: as <see cref="MaskFor(long, long, Device, int?)"/>,
    /// and, where rows are padded, [rows, 1, time, columns] with each row's padding columns hidden.
    /// </summary>
    public (Tensor? Mask, bool Causal) MaskFor(int layer, long time, Device device, int? window = null)
    {
        var past = LengthOf(layer);
        if (!IsPadded)
        {
            return MaskFor(past, time, device, window);
        }

        using var scope = NewDisposeScope();
        var columns = Range(0, past + time, device).view(1, 1, 1, -1);
        var queries = Range(past, past + time, device).view(1, 1, -1, 1);
        var firstColumns = tensor(_padding, device: device).view(-1, 1, 1, 1);
        var allowed = columns.ge(firstColumns).logical_and(columns.le(queries));
        if (window is { } w)
        {
            allowed = allowed.logical_and(queries.sub(columns).lt(tensor((long)w, device: device)));
        }

        return (allowed.MoveToOuterDisposeScope(), false);
    }

    /// <summary>Positions [rows, time] of <paramref name="time"/> new tokens: each row counts from its own first position.</summary>
    public Tensor PositionsOf(long time, Device device)
    {
        using var scope = NewDisposeScope();
        var columns = Range(Length, Length + time, device).view(1, -1);
        return columns.sub(tensor(_padding, device: device).view(-1, 1)).MoveToOuterDisposeScope();
    }

    /// <summary>Appends this step's keys and values [batch, heads, time, dim] and returns everything held for the layer.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (_padding.Length == 0)
        {
            _padding = new long[keys.shape[0]];
        }

        var allKeys = _keys[layer] is { } k ? cat([k, keys], 2) : keys.alias();
        var allValues = _values[layer] is { } v ? cat([v, values], 2) : values.alias();
        _keys[layer]?.Dispose();
        _values[layer]?.Dispose();
        _keys[layer] = allKeys.DetachFromDisposeScope();
        _values[layer] = allValues.DetachFromDisposeScope();
        return (_keys[layer]!, _values[layer]!);
    }

    /// <summary>
    /// Takes the rows of <paramref name="other"/> in after this cache's rows, padding the shorter side on the left so
    /// that every row ends at the last column; <paramref name="other"/> is left empty.
    /// </summary>
    public void Join(KeyValueCache other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Rows == 0)
        {
            return;
        }

        if (Rows == 0)
        {
            TakeOver(other);
            return;
        }

        var (length, otherLength) = (Length, other.Length);
        var columns = Math.Max(length, otherLength);
        using var scope = NewDisposeScope();
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            Replace(ref _keys[layer], cat([PadLeft(_keys[layer]!, columns - length), PadLeft(other._keys[layer]!, columns - otherLength)], 0));
            Replace(ref _values[layer], cat([PadLeft(_values[layer]!, columns - length), PadLeft(other._values[layer]!, columns - otherLength)], 0));
        }

        _padding = [.. _padding.Select(p => p + columns - length), .. other._padding.Select(p => p + columns - otherLength)];
        other.Dispose();
    }

    /// <summary>Keeps only <paramref name="rows"/> (in that order), and drops leading columns no remaining row uses.</summary>
    public void Keep(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == Rows && rows.Select((row, index) => row == index).All(same => same))
        {
            return;
        }

        if (rows.Count == 0)
        {
            Dispose();
            return;
        }

        var padding = rows.Select(row => _padding[row]).ToArray();
        var unused = padding.Min();
        using var scope = NewDisposeScope();
        var device = _keys[0]!.device;
        var selected = tensor(rows.Select(row => (long)row).ToArray(), device: device);
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            Replace(ref _keys[layer], Trim(_keys[layer]!.index_select(0, selected), unused));
            Replace(ref _values[layer], Trim(_values[layer]!.index_select(0, selected), unused));
        }

        _padding = [.. padding.Select(p => p - unused)];
    }

    public void Dispose()
    {
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer]?.Dispose();
            _values[layer]?.Dispose();
            _keys[layer] = null;
            _values[layer] = null;
        }

        _padding = [];
    }

    private void TakeOver(KeyValueCache other)
    {
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            (_keys[layer], other._keys[layer]) = (other._keys[layer], null);
            (_values[layer], other._values[layer]) = (other._values[layer], null);
        }

        (_padding, other._padding) = (other._padding, []);
    }

    private static Tensor Range(long start, long end, Device device)
    {
        using var first = start.ToScalar();
        using var last = end.ToScalar();
        return arange(first, last, dtype: int64, device: device);
    }

    private static Tensor PadLeft(Tensor held, long columns) =>
        columns == 0 ? held : nn.functional.pad(held, [0, 0, columns, 0]);

    private static Tensor Trim(Tensor held, long columns) =>
        columns == 0 ? held : held.narrow(2, columns, held.shape[2] - columns);

    private static void Replace(ref Tensor? held, Tensor replacement)
    {
        var kept = replacement.contiguous().DetachFromDisposeScope();
        held?.Dispose();
        held = kept;
    }
}
