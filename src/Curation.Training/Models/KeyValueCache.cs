using TorchSharp;
using static TorchSharp.torch;

namespace Curation.Training.Models;

/// <summary>
/// Keys and values of the positions seen so far, per layer, so generation computes each position once. Several
/// sequences share one cache as rows of a batch, each from column 0 (right padding): row r holds its own
/// <see cref="SequenceLength"/> positions and its new tokens go right after them, so that no row ever moves when
/// another joins or leaves. Each layer's tensors are allocated with room to spare and grow geometrically, and a pass
/// writes its new columns in place: appending one token does not copy the cache. Masks and positions follow from the
/// rows' lengths and are made once per forward pass, shared by every layer.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    private const long MinimumCapacity = 16;

    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    private readonly long[] _layerColumns;
    private readonly Dictionary<(long Time, int Window), (Tensor? Mask, bool Causal)> _passMasks = [];
    private long[] _lengths = [];

    // The masks of the last pass are still in use by its last layer when that layer's append ends the pass.
    private bool _masksStale;

    public KeyValueCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
        _layerColumns = new long[layers];
    }

    /// <summary>Columns in use: the longest row's positions (read it before a forward pass, when every layer holds as many).</summary>
    public long Length => _lengths.Length == 0 ? 0 : _lengths.Max();

    /// <summary>Sequences held, one per row.</summary>
    public int Rows => _lengths.Length;

    /// <summary>Whether rows hold sequences of different lengths, so that masks and positions differ per row.</summary>
    public bool IsPadded => _lengths.Length > 1 && _lengths.Any(length => length != _lengths[0]);

    /// <summary>Columns layer <paramref name="layer"/> holds now (during a pass, layers before it already hold the new ones).</summary>
    public long LengthOf(int layer) => _layerColumns[layer];

    /// <summary>Positions row <paramref name="row"/>'s sequence has.</summary>
    public long SequenceLength(int row) => _lengths[row];

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
    /// The mask for this pass's <paramref name="time"/> new positions: as <see cref="MaskFor(long, long, Device, int?)"/>
    /// when every row is as long, else [rows, 1, time, columns] in which row r's new position i sees its columns 0
    /// to length(r) + i (and none of the padding after them). Made once per pass and window and owned by the cache:
    /// the caller does not dispose it.
    /// </summary>
    public (Tensor? Mask, bool Causal) MaskFor(int layer, long time, Device device, int? window = null)
    {
        _ = layer;
        if (_masksStale)
        {
            DisposeMasks();
        }

        var key = (time, window ?? 0);
        if (_passMasks.TryGetValue(key, out var made))
        {
            return made;
        }

        var mask = IsPadded ? (RaggedMask(time, device, window), false) : MaskFor(Length, time, device, window);
        mask.Item1?.DetachFromDisposeScope();
        _passMasks[key] = mask;
        return mask;
    }

    /// <summary>Positions [rows, time] of <paramref name="time"/> new tokens: each row counts on from its own length.</summary>
    public Tensor PositionsOf(long time, Device device)
    {
        using var scope = NewDisposeScope();
        using var one = 1L.ToScalar();
        var columns = Range(0, time, device).view(1, -1);
        return columns.add(tensor(LengthsOrZeros(1), device: device).view(-1, 1), one).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes this pass's keys and values [batch, heads, time, dim] of layer <paramref name="layer"/> after each row's
    /// positions and returns the layer's keys and values up to the longest row (views of the cache: read them, do not
    /// keep them past the next pass). The last layer's call ends the pass.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (_lengths.Length == 0)
        {
            _lengths = new long[keys.shape[0]];
        }

        var time = keys.shape[2];
        var columns = Length + time;
        Reserve(ref _keys[layer], keys, columns);
        Reserve(ref _values[layer], values, columns);
        Write(_keys[layer]!, keys);
        Write(_values[layer]!, values);
        _layerColumns[layer] = columns;
        var held = (_keys[layer]!.narrow(2, 0, columns), _values[layer]!.narrow(2, 0, columns));
        if (layer == _keys.Length - 1)
        {
            EndPass(time);
        }

        return held;
    }

    /// <summary>
    /// Keeps only the first <paramref name="lengths"/>[r] positions of each row: after a pass over prompts padded on
    /// the right to one length, the columns past each prompt are padding, and the row's next token goes right after it.
    /// </summary>
    internal void Shorten(IReadOnlyList<long> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfNotEqual(lengths.Count, Rows);
        for (var row = 0; row < Rows; row++)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(lengths[row], _lengths[row]);
            ArgumentOutOfRangeException.ThrowIfNegative(lengths[row]);
        }

        _lengths = [.. lengths];
        Array.Fill(_layerColumns, Length);
        _masksStale = true;
    }

    /// <summary>Takes the rows of <paramref name="other"/> in after this cache's rows; <paramref name="other"/> is left empty.</summary>
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
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer] = Stacked(_keys[layer]!, length, other._keys[layer]!, otherLength, columns);
            _values[layer] = Stacked(_values[layer]!, length, other._values[layer]!, otherLength, columns);
        }

        _lengths = [.. _lengths, .. other._lengths];
        Array.Fill(_layerColumns, columns);
        _masksStale = true;
        other.Dispose();
    }

    /// <summary>Keeps only <paramref name="rows"/> (in that order).</summary>
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

        var lengths = rows.Select(row => _lengths[row]).ToArray();
        var columns = lengths.Max();
        using var scope = NewDisposeScope();
        var device = _keys[0]!.device;
        var selected = tensor(rows.Select(row => (long)row).ToArray(), device: device);
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            Replace(ref _keys[layer], _keys[layer]!.index_select(0, selected));
            Replace(ref _values[layer], _values[layer]!.index_select(0, selected));
        }

        _lengths = lengths;
        Array.Fill(_layerColumns, columns);
        _masksStale = true;
    }

    public void Dispose()
    {
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            _keys[layer]?.Dispose();
            _values[layer]?.Dispose();
            _keys[layer] = null;
            _values[layer] = null;
            _layerColumns[layer] = 0;
        }

        DisposeMasks();
        _lengths = [];
    }

    private void EndPass(long time)
    {
        for (var row = 0; row < _lengths.Length; row++)
        {
            _lengths[row] += time;
        }

        _masksStale = true;
    }

    private void DisposeMasks()
    {
        foreach (var (mask, _) in _passMasks.Values)
        {
            mask?.Dispose();
        }

        _passMasks.Clear();
        _masksStale = false;
    }

    // Row r's new position i (at column length(r) + i) sees columns 0 to length(r) + i, within the window if any.
    private Tensor RaggedMask(long time, Device device, int? window)
    {
        using var scope = NewDisposeScope();
        var columns = Range(0, Length + time, device).view(1, 1, 1, -1);
        var queries = PositionsOf(time, device).view(Rows, 1, time, 1);
        var allowed = columns.le(queries);
        if (window is { } w)
        {
            using var size = ((long)w).ToScalar();
            allowed = allowed.logical_and(queries.sub(columns).lt(size));
        }

        return allowed.MoveToOuterDisposeScope();
    }

    private long[] LengthsOrZeros(int rows) => _lengths.Length == 0 ? new long[rows] : _lengths;

    // Every row as long: one slice; one new column per row at different places: a scatter; else row by row.
    private void Write(Tensor held, Tensor added)
    {
        using var scope = NewDisposeScope();
        var time = added.shape[2];
        if (!IsPadded)
        {
            held.narrow(2, _lengths[0], time).copy_(added);
        }
        else if (time == 1)
        {
            var at = tensor(_lengths, device: held.device).view(-1, 1, 1, 1).expand(added.shape);
            held.scatter_(2, at, added);
        }
        else
        {
            for (var row = 0; row < Rows; row++)
            {
                held[row].narrow(1, _lengths[row], time).copy_(added[row]);
            }
        }
    }

    // Room for `columns` positions per row, growing by at least half again so that appends rarely copy.
    private static void Reserve(ref Tensor? held, Tensor like, long columns)
    {
        var capacity = held?.shape[2] ?? 0;
        if (columns <= capacity)
        {
            return;
        }

        var grown = zeros([like.shape[0], like.shape[1], GrownCapacity(capacity, columns), like.shape[3]], dtype: like.dtype, device: like.device);
        if (held is not null)
        {
            using var used = grown.narrow(2, 0, capacity);
            used.copy_(held);
            held.Dispose();
        }

        held = grown.DetachFromDisposeScope();
    }

    private static long GrownCapacity(long capacity, long columns) => Math.Max(columns, Math.Max(MinimumCapacity, capacity + (capacity / 2)));

    // This cache's rows then the other's, each from column 0, with room for more columns.
    private static Tensor Stacked(Tensor held, long length, Tensor other, long otherLength, long columns)
    {
        using var scope = NewDisposeScope();
        var rows = held.shape[0];
        var capacity = Math.Max(held.shape[2], GrownCapacity(0, columns + 1));
        var joined = zeros([rows + other.shape[0], held.shape[1], capacity, held.shape[3]], dtype: held.dtype, device: held.device);
        joined.narrow(0, 0, rows).narrow(2, 0, length).copy_(held.narrow(2, 0, length));
        joined.narrow(0, rows, other.shape[0]).narrow(2, 0, otherLength).copy_(other.narrow(2, 0, otherLength));
        held.Dispose();
        return joined.DetachFromDisposeScope();
    }

    private void TakeOver(KeyValueCache other)
    {
        for (var layer = 0; layer < _keys.Length; layer++)
        {
            (_keys[layer], other._keys[layer]) = (other._keys[layer], null);
            (_values[layer], other._values[layer]) = (other._values[layer], null);
            _layerColumns[layer] = other._layerColumns[layer];
        }

        (_lengths, other._lengths) = (other._lengths, []);
        _masksStale = true;
        other.Dispose();
    }

    private static Tensor Range(long start, long end, Device device)
    {
        using var first = start.ToScalar();
        using var last = end.ToScalar();
        return arange(first, last, dtype: int64, device: device);
    }

    private static void Replace(ref Tensor? held, Tensor replacement)
    {
        var kept = replacement.DetachFromDisposeScope();
        held?.Dispose();
        held = kept;
    }
}
