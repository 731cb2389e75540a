using Curation.Core;
using Curation.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Curation.Training.Runtime;

/// <summary>The dtype a model computes in: float32, or bfloat16 with any trainable LoRA weights kept in float32.</summary>
public enum ComputePrecision
{
    Float32,
    BFloat16,
}

/// <summary>
/// Maps <c>--precision auto|fp32|bf16</c> to a <see cref="ComputePrecision"/> and puts a model in it. TorchSharp has no
/// autocast, so bf16 is done as PEFT does under autocast: the frozen base weights and activations in bfloat16, the
/// adapter's A and B in float32 (the master weights the optimizer updates), its input cast to float32 and its update
/// cast back; norms and the loss are computed in float32.
/// </summary>
public static class PrecisionChoice
{
    /// <summary>auto: bfloat16 on CUDA (every GPU libtorch 2.10 supports computes it), float32 on the CPU.</summary>
    /// <exception cref="CurationException">An unknown choice.</exception>
    public static ComputePrecision Resolve(string choice, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return choice switch
        {
            "fp32" or "float32" => ComputePrecision.Float32,
            "bf16" or "bfloat16" => ComputePrecision.BFloat16,
            "auto" => device.type == DeviceType.CUDA ? ComputePrecision.BFloat16 : ComputePrecision.Float32,
            _ => throw new CurationException($"--precision '{choice}': expected auto, fp32 or bf16"),
        };
    }

    /// <summary>Converts the model's weights to <paramref name="precision"/>; LoRA weights stay float32.</summary>
    public static void Apply(CausalLm model, ComputePrecision precision)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (precision == ComputePrecision.Float32)
        {
            return;
        }

        model.to(bfloat16);
        foreach (var layer in model.modules().OfType<AdaptableLinear>().Where(layer => layer.HasAdapter))
        {
            layer.LoraA!.to(float32);
            layer.LoraB!.to(float32);
        }
    }

    public static string Name(ComputePrecision precision) => precision == ComputePrecision.BFloat16 ? "bf16" : "fp32";
}
