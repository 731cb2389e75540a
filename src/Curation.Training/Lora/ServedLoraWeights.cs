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

    /// <summary>B(A(x)) * scaling, computed as <see cref="AdaptableLinear"/>'s own adapter computes it.</summary>
    public Tensor Delta(Tensor input) => nn.functional.linear(nn.functional.linear(input, _a), _b) * _scaling;

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _scaling.Dispose();
    }
}
