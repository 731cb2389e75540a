using static TorchSharp.torch;

namespace Curation.Training.Lora;

/// <summary>
/// Which served adapter each batch row uses, prepared once for all projections of a forward pass: the adapter all
/// rows share, or each adapter's rows as an index tensor on the model's device.
/// </summary>
internal sealed class AdapterRoute : IDisposable
{
    private readonly ServedAdapters _owner;

    public AdapterRoute(ServedAdapters owner, IReadOnlyList<int?> adapterPerRow, Device device)
    {
        _owner = owner;
        Rows = adapterPerRow.Count;
        var distinct = adapterPerRow.Distinct().ToList();
        if (distinct.Count == 1)
        {
            Shared = distinct[0];
            AllRowsShare = true;
            Groups = [];
            return;
        }

        Groups = [.. distinct.OfType<int>().Order().Select(adapter => (adapter, RowsOf(adapterPerRow, adapter, device)))];
    }

    /// <summary>The number of rows every routed batch must have.</summary>
    public int Rows { get; }

    /// <summary>Whether every row uses <see cref="Shared"/> (null: the base model), so projections need no gathers.</summary>
    public bool AllRowsShare { get; }

    public int? Shared { get; }

    /// <summary>When rows differ: each adapter present and its rows, in adapter order; rows of the base model are in none.</summary>
    public IReadOnlyList<(int Adapter, Tensor Rows)> Groups { get; }

    public void Dispose()
    {
        _owner.EndRoute(this);
        foreach (var (_, rows) in Groups)
        {
            rows.Dispose();
        }
    }

    private static Tensor RowsOf(IReadOnlyList<int?> adapterPerRow, int adapter, Device device)
    {
        long[] rows = [.. Enumerable.Range(0, adapterPerRow.Count).Where(row => adapterPerRow[row] == adapter).Select(row => (long)row)];
        return tensor(rows, device: device).DetachFromDisposeScope();
    }
}
