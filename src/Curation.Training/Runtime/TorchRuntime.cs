using System.Runtime.InteropServices;
using Curation.Core;
using TorchSharp;

namespace Curation.Training.Runtime;

/// <summary>What <see cref="TorchRuntime.PrepareLibrary"/> did to the native bridge library.</summary>
public sealed record LibraryPreparation(string Path, IReadOnlyList<string> Weakened, IReadOnlyList<string> AlreadyWeak);

/// <summary>
/// Loads TorchSharp's native runtime. TorchSharp 0.107's <c>libLibTorchSharp.so</c> is built with GCC 13 and so
/// declares a need for <c>GLIBCXX_3.4.32</c>, which Debian 12 and Ubuntu 22.04 (GCC 12, 3.4.30) lack; the only symbol
/// bound to it is <c>std::ios_base_library_init</c>, a marker no code calls. Before the first use of torch, such
/// marker-only needs are marked weak in the copy the application loads (written through a temporary file and a
/// rename), after which the library loads on those systems. Needs with real symbols are never touched.
/// </summary>
public static class TorchRuntime
{
    public const string BridgeLibrary = "libLibTorchSharp.so";

    // Symbols GCC 13's libstdc++ headers reference only to order iostream initialisation.
    private static readonly HashSet<string> MarkerSymbols = new(["_ZSt21ios_base_library_initv"], StringComparer.Ordinal);

    private static readonly Lock Gate = new();
    private static bool _loaded;

    /// <summary>Where the application loads the bridge library from, or null when it has none (not Linux x64).</summary>
    public static string? LibraryPath()
    {
        foreach (var candidate in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", BridgeLibrary),
            Path.Combine(AppContext.BaseDirectory, BridgeLibrary),
        })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Marks the library's marker-only libstdc++ version needs weak; a no-op once done.</summary>
    /// <exception cref="CurationException">The file cannot be read or replaced.</exception>
    public static LibraryPreparation PrepareLibrary(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new CurationException($"{path}: cannot read TorchSharp's native library: {ex.Message}", ex);
        }

        var markerOnly = ElfVersionNeeds.Read(bytes)
            .Where(need => need.Library.StartsWith("libstdc++", StringComparison.Ordinal))
            .Where(need => ElfVersionNeeds.SymbolsBoundTo(bytes, need) is { Count: > 0 } symbols && symbols.All(MarkerSymbols.Contains))
            .ToList();
        var toWeaken = markerOnly.Where(need => !need.Weak).Select(need => need.Version).ToHashSet(StringComparer.Ordinal);
        var alreadyWeak = markerOnly.Where(need => need.Weak).Select(need => need.Version).ToList();
        if (toWeaken.Count == 0)
        {
            return new LibraryPreparation(path, [], alreadyWeak);
        }

        ElfVersionNeeds.MarkWeak(bytes, need => need.Library.StartsWith("libstdc++", StringComparison.Ordinal) && toWeaken.Contains(need.Version));
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CurationException(
                $"{path}: cannot update TorchSharp's native library ({ex.Message}); it needs {string.Join(", ", toWeaken)} of libstdc++, which this system may lack. Run once with write access to that folder.", ex);
        }

        return new LibraryPreparation(path, [.. toWeaken.Order(StringComparer.Ordinal)], alreadyWeak);
    }

    /// <summary>Prepares the bridge library (once per process) and initialises torch on the CPU.</summary>
    /// <exception cref="CurationException">The native runtime does not load; the message says what is missing.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded)
            {
                return;
            }

            if (LibraryPath() is { } path && RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                PrepareLibrary(path);
            }

            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException or InvalidOperationException)
            {
                throw new CurationException($"the torch runtime did not load: {ex.GetBaseException().Message.Split('\n')[0]} (run 'curate doctor' for details)", ex);
            }

            _loaded = true;
        }
    }
}
