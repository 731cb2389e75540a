using Curation.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Curation.Training.Models;

/// <summary>The MLP activations the configs name, computed as transformers' <c>ACT2FN</c> computes them.</summary>
internal static class Activations
{
    private static readonly Scalar GeluScale = Math.Sqrt(2.0 / Math.PI).ToScalar();
    private static readonly Scalar GeluCubic = 0.044715.ToScalar();

    public static Tensor Apply(Activation activation, Tensor x) => activation switch
    {
        Activation.Silu => nn.functional.silu(x),
        Activation.Gelu => nn.functional.gelu(x),
        _ => GeluTanh(x),
    };

    // gelu_new and gelu_pytorch_tanh: 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).
    private static Tensor GeluTanh(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (Constants.Half * x * tanh(GeluScale * x.add(GeluCubic * x.pow(Constants.Three), Constants.One)).add(Constants.One, Constants.One)).MoveToOuterDisposeScope();
    }
}
