using System.Globalization;
using Curation.Training.Models;
using static TorchSharp.torch;

namespace Curation.Training.Lora;

/// <summary>The served adapters of one projection: for each adapter index, its LoRA here, or null where it does not adapt this projection.</summary>
internal sealed class ServedProjection : IDisposable
{
    private readonly ServedAdapters _owner;
    private readonly ServedLoraWeights?[] _byAdapter;

    public ServedProjection(ServedAdapters owner, ServedLoraWeights?[] byAdapter)
    {
        _owner = owner;
        _byAdapter = byAdapter;
    }

    /// <summary>
    /// <paramref name="output"/> (the projection of <paramref name="input"/> [batch, …, in], a tensor of this pass's
    /// own) plus each row's adapter's change, under the current route.
    /// </summary>
    public Tensor AddTo(Tensor output, Tensor input)
    {
        if (_owner.Current is not { } route)
        {
            return output;
        }

        if (input.shape[0] != route.Rows)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the adapter route has {route.Rows} rows; the batch has {input.shape[0]}"));
        }

        if (route.AllRowsShare)
        {
            return route.Shared is { } adapter && _byAdapter[adapter] is { } shared ? output.add(shared.Delta(input), Constants.One) : output;
        }

        foreach (var (adapter, rows) in route.Groups)
        {
            if (_byAdapter[adapter] is { } weights)
            {
                output.index_add_(0, rows, weights.Unscaled(input.index_select(0, rows)), weights.Scaling);
            }
        }

        return output;
    }

    public void Dispose()
    {
        foreach (var weights in _byAdapter)
        {
            weights?.Dispose();
        }
    }
}
