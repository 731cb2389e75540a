using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using Curation.TestKit;

namespace Curation.Cli.Tests.Build;

/// <summary>
/// The CLI's build output: after a Release build on Linux the assemblies every command runs once (command line, YAML,
/// configuration, run machinery, readers and writers) are precompiled, so that a command starts without compiling
/// them; the stages' assemblies stay for the JIT, whose code for their hot loops is better.
/// </summary>
public sealed class StartupPrecompilationTests
{
    private static readonly string[] Precompiled = ["Curation.Core", "Curation.IO", "Curation.Pipeline", "YamlDotNet", "System.CommandLine"];

    private static readonly string[] LeftToTheJit = ["curate", "Curation.Normalization", "Curation.Dedup", "Curation.Filters", "Curation.Tokenization", "Microsoft.ML.Tokenizers"];

    [Fact]
    public void ReleaseBuildOnLinux_PrecompilesTheStartupAssembliesOnly()
    {
        var configuration = typeof(CurateApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var output = Path.Combine(RepositoryPaths.Root, "src", "Curation.Cli", "bin", configuration, "net10.0");
        var expectPrecompiled = configuration == "Release" && OperatingSystem.IsLinux()
            && RuntimeInformation.OSArchitecture is Architecture.X64 or Architecture.Arm64;

        foreach (var name in Precompiled)
        {
            Assert.True(IsPrecompiled(Path.Combine(output, name + ".dll")) == expectPrecompiled, $"{name}.dll precompiled: expected {expectPrecompiled}");
        }

        foreach (var name in LeftToTheJit)
        {
            Assert.False(IsPrecompiled(Path.Combine(output, name + ".dll")), $"{name}.dll should be left to the JIT");
        }
    }

    private static bool IsPrecompiled(string assembly)
    {
        using var reader = new PEReader(File.OpenRead(assembly));
        return reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0;
    }
}
