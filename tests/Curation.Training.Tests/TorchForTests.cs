using System.Runtime.CompilerServices;
using Curation.Training.Runtime;

namespace Curation.Training.Tests;

internal static class TorchForTests
{
    // TorchSharp loads its native bridge once, on first touch, and a failure sticks for the whole process: the
    // bridge must be made loadable (TorchRuntime) before any test touches torch, whichever test the runner takes first.
#pragma warning disable CA2255 // A test assembly, not a library: this is the one place that runs before every test.
    [ModuleInitializer]
    internal static void Load() => TorchRuntime.EnsureLoaded();
#pragma warning restore CA2255
}
