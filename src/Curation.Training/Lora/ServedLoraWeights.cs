using Curation.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Curation.Training.Lora;

/// <summary>One served adapter's LoRA on one projection: A [rank, in], B [out, rank] and the scaling.</summary>
internal sealed class ServedLoraWeights : IDisposable
{
    private readonly Tensor _a;
    private readonly Tensor _b;

    // Kept in a field so that it outlives every native call that reads it (see Constants).
    private readonly Scalar _scaling;

    public ServedLoraWeights(Tensor a, Tensor b, double scaling)
    {
        _a = a;
        _b = b;
        _scaling = scaling.ToScalar();
    }

    /// <summary>The scaling, as a scalar for the fused multiply-add of <c>index_add_</c>.</summary>
    public Scalar Scaling => _scaling;

    /// <summary>B(A(x)) * scaling, computed as <see cref="AdaptableLinear"/>'s own adapter computes it.</summary>
    public Tensor Delta(Tensor input) => Unscaled(input) * _scaling;

    /// <summary>B(A(x)), to be added with <see cref="Scaling"/> as the factor.</summary>
    public Tensor Unscaled(Tensor input) => nn.functional.linear(nn.functional.linear(input, _a), _b);

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _scaling.Dispose();
    }
}
