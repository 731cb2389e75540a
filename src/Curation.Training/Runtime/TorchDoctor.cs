using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;

namespace Curation.Training.Runtime;

/// <summary>One line of <c>curate doctor</c>: a fact about the runtime, and whether it is a problem.</summary>
public sealed record DoctorCheck(string Name, string Value, bool Ok = true);

/// <summary>
/// What the training runtime has and lacks: the system's C and C++ libraries, TorchSharp and libtorch, the native
/// bridge library and what was done to make it load, CPU threads, and CUDA (and, when it is unavailable, why).
/// </summary>
public static partial class TorchDoctor
{
    public static IReadOnlyList<DoctorCheck> Examine()
    {
        var checks = new List<DoctorCheck>
        {
            new(".NET", $"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})"),
        };
        if (OperatingSystem.IsLinux())
        {
            checks.Add(new("glibc", GlibcVersion() ?? "unknown"));
            checks.Add(new("libstdc++", NewestGlibcxx() is { } glibcxx ? $"newest symbol version {glibcxx}" : "not found", NewestGlibcxx() is not null));
        }

        checks.Add(new("TorchSharp", typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown"));
        checks.Add(new("torch backend", BuildBackend == "cuda" ? "cuda (libtorch-cuda-12.8-linux-x64)" : "cpu (libtorch-cpu-linux-x64; build with -p:TorchBackend=cuda for CUDA)"));
        var bridge = TorchRuntime.LibraryPath();
        if (bridge is not null)
        {
            var prepared = TorchRuntime.PrepareLibrary(bridge);
            var weak = prepared.Weakened.Concat(prepared.AlreadyWeak).ToList();
            checks.Add(new("native bridge", weak.Count == 0 ? bridge : $"{bridge} (libstdc++ marker needs {string.Join(", ", weak)} marked weak so it loads with GCC 12's libstdc++)"));
        }
        else
        {
            checks.Add(new("native bridge", $"{TorchRuntime.BridgeLibrary} not found beside the application (only linux-x64 natives are referenced)", false));
        }

        try
        {
            TorchRuntime.EnsureLoaded();
            checks.Add(new("libtorch", torch.__version__));
            checks.Add(new("cpu", string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} logical cores, torch uses {torch.get_num_threads()} threads")));
            checks.Add(Cuda());
        }
        catch (Core.CurationException ex)
        {
            checks.Add(new("libtorch", ex.Message, false));
        }

        return checks;
    }

    private static DoctorCheck Cuda()
    {
        if (torch.cuda.is_available())
        {
            return new("cuda", string.Create(CultureInfo.InvariantCulture, $"available: {torch.cuda.device_count()} device(s), cuDNN {(torch.cuda.is_cudnn_available() ? "available" : "not available")}"));
        }

        var native = TorchRuntime.LibraryPath() is { } bridge ? Path.GetDirectoryName(bridge)! : AppContext.BaseDirectory;
        var missing = new List<string>();
        if (!File.Exists(Path.Combine(native, "libtorch_cuda.so")))
        {
            missing.Add(BuildBackend == "cuda"
                ? "libtorch_cuda.so is missing beside the application although it was built with -p:TorchBackend=cuda"
                : "this build carries the CPU libtorch (libtorch-cpu-linux-x64); build with -p:TorchBackend=cuda (docs/training.md)");
        }

        if (!File.Exists("/proc/driver/nvidia/version"))
        {
            missing.Add("no NVIDIA driver (/proc/driver/nvidia/version absent)");
        }

        return new("cuda", "not available: " + string.Join("; ", missing.DefaultIfEmpty("libtorch found no CUDA device")), Ok: true);
    }

    /// <summary>The libtorch the build was made with: <c>cpu</c> or <c>cuda</c> (<c>-p:TorchBackend</c>).</summary>
    public static string BuildBackend { get; } = typeof(TorchDoctor).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    private static string? GlibcVersion()
    {
        try
        {
            return Marshal.PtrToStringAnsi(gnu_get_libc_version());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static string? NewestGlibcxx()
    {
        foreach (var path in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" })
        {
            if (File.Exists(path))
            {
                var text = System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path));
                return GlibcxxVersion().Matches(text).Select(m => m.Value).DistinctBy(v => v)
                    .OrderBy(v => int.Parse(v["GLIBCXX_3.4.".Length..].Length == 0 ? "0" : v["GLIBCXX_3.4.".Length..], CultureInfo.InvariantCulture))
                    .LastOrDefault();
            }
        }

        return null;
    }

    [GeneratedRegex(@"GLIBCXX_3\.4\.\d+")]
    private static partial Regex GlibcxxVersion();

    [LibraryImport("libc")]
    private static partial IntPtr gnu_get_libc_version();
}
