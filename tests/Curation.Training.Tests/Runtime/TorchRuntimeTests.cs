using Curation.Training.Runtime;
using Curation.TestKit;
using TorchSharp;

namespace Curation.Training.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void BridgeLibrary_NeedsGlibcxx3432_OnlyForTheIosMarker()
    {
        var path = TorchRuntime.LibraryPath();
        Assert.NotNull(path);
        var bytes = File.ReadAllBytes(path);

        var need = Assert.Single(ElfVersionNeeds.Read(bytes), n => n.Version == "GLIBCXX_3.4.32");

        Assert.Equal("libstdc++.so.6", need.Library);
        Assert.Equal(["_ZSt21ios_base_library_initv"], ElfVersionNeeds.SymbolsBoundTo(bytes, need));
    }

    [Fact]
    public void PrepareLibrary_WeakensOnlyTheMarkerNeed_AndIsIdempotent()
    {
        using var folder = new TempFolder();
        var copy = folder.File(TorchRuntime.BridgeLibrary);
        File.Copy(TorchRuntime.LibraryPath()!, copy);
        var original = ElfVersionNeeds.Read(File.ReadAllBytes(copy));

        // Start from a copy whose marker need is strong, as TorchSharp ships it (the app's copy may be prepared already).
        var strong = File.ReadAllBytes(copy);
        var flags = ElfVersionNeeds.Read(strong).Single(n => n.Version == "GLIBCXX_3.4.32").FlagsOffset;
        strong[flags] &= unchecked((byte)~ElfVersionNeeds.WeakFlag);
        File.WriteAllBytes(copy, strong);

        var first = TorchRuntime.PrepareLibrary(copy);
        var second = TorchRuntime.PrepareLibrary(copy);

        Assert.Equal(["GLIBCXX_3.4.32"], first.Weakened);
        Assert.Empty(second.Weakened);
        Assert.Equal(["GLIBCXX_3.4.32"], second.AlreadyWeak);
        var after = ElfVersionNeeds.Read(File.ReadAllBytes(copy));
        Assert.Equal(original.Count, after.Count);
        Assert.All(after.Where(n => n.Version != "GLIBCXX_3.4.32"), n => Assert.Equal(original.Single(o => o.FlagsOffset == n.FlagsOffset).Weak, n.Weak));
        Assert.True(after.Single(n => n.Version == "GLIBCXX_3.4.32").Weak);
    }

    [Fact]
    public void EnsureLoaded_ThenATensorOperationRuns()
    {
        TorchRuntime.EnsureLoaded();

        using var sum = torch.ones(3, 4).sum();

        Assert.Equal(12f, sum.item<float>());
    }
}
