using Curation.Core;
using static TorchSharp.torch;

namespace Curation.Training.Runtime;

/// <summary>Maps <c>--device cpu|cuda|auto</c> to a torch device, with a clear error when CUDA is asked for and absent.</summary>
public static class DeviceChoice
{
    public static Device Resolve(string choice)
    {
        TorchRuntime.EnsureLoaded();
        return choice switch
        {
            "cpu" => CPU,
            "cuda" when cuda.is_available() => CUDA,
            "cuda" => throw new CurationException("--device cuda: CUDA is not available to this build (run 'curate doctor' to see why; docs/training.md says how to build with CUDA)"),
            "auto" => cuda.is_available() ? CUDA : CPU,
            _ => throw new CurationException($"--device '{choice}': expected cpu, cuda or auto"),
        };
    }
}
