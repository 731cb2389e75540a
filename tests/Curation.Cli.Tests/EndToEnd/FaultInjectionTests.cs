using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Curation.TestKit;

namespace Curation.Cli.Tests.EndToEnd;

/// <summary>
/// Faults a user meets — a full disk for the outputs, the rejects or the temporary files, a read-only folder, Ctrl+C at
/// any moment, twice, a killed process — injected into real <c>curate run</c> processes. After each: the inputs are
/// unchanged, no file is under a final name unless the run succeeded, no temporary file is left, the manifest says
/// why, an earlier run's outputs are not lost, and the one line printed names the cause.
/// </summary>
public sealed class FaultInjectionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// The data file fills the disk: before its first whole block (written at the end, through the page cache), at
    /// its first block written straight to the disk, and at a later one.
    /// </summary>
    [SkippableTheory]
    [InlineData(3000, "256k")]
    [InlineData(20_000, "512k")]
    [InlineData(20_000, "2m")]
    public async Task FullDisk_ForTheOutputFolder_SaysSo_RemovesPartialFiles_AndWritesAFailedManifest(int records, string size)
    {
        Skip.If(CurateProcess.CannotMount is not null, CurateProcess.CannotMount);
        var input = WriteInput("in/chat.jsonl", records);
        var small = _temp.File("small");
        var pipeline = _temp.Write("p.yaml", $"inputs: [in]\nstages: [normalize, validate]\noutput:\n  dir: {small}/out\n");
        var before = Hash(input);

        var result = await CurateProcess.RunAsync(["run", pipeline], mounts: [new PrivateMount(small, $"size={size}", _temp.File("snapshot"))]);

        Assert.True(result.ExitCode == ExitCodes.RunFailed, result.ToString());
        var line = Assert.Single(Lines(result.Error), l => l.Contains("no space left on", StringComparison.Ordinal));
        Assert.Contains("/out/ (writing ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Hash(input));
        var left = Files(_temp.File("snapshot/out"));
        Assert.Equal(["manifest.json"], left);
        using var manifest = JsonDocument.Parse(File.ReadAllText(_temp.File("snapshot/out/manifest.json")));
        Assert.Equal("failed", manifest.RootElement.GetProperty("status").GetString());
        Assert.Contains("no space left on", manifest.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(manifest.RootElement.GetProperty("partial_outputs_removed").GetBoolean());
    }

    [SkippableFact]
    public async Task FullDisk_ForTheRejects_LeavesNoDataFileUnderItsFinalName()
    {
        Skip.If(CurateProcess.CannotMount is not null, CurateProcess.CannotMount);
        var input = WriteInput("in/chat.jsonl", records: 3000, emptyAnswerEvery: 2);
        var small = _temp.File("small");
        var pipeline = _temp.Write("p.yaml", $"inputs: [in]\nstages: [normalize, validate]\noutput:\n  dir: out\n  rejects: {small}/rejects.jsonl\n");

        var result = await CurateProcess.RunAsync(["run", pipeline], mounts: [new PrivateMount(small, "size=128k", _temp.File("snapshot"))]);

        Assert.True(result.ExitCode == ExitCodes.RunFailed, result.ToString());
        Assert.Contains("no space left on", result.Error, StringComparison.Ordinal);
        Assert.Contains("rejects.jsonl", result.Error, StringComparison.Ordinal);
        Assert.Equal(["manifest.json"], Files(_temp.File("out")));
        Assert.Empty(Files(_temp.File("snapshot")));
    }

    [SkippableFact]
    public async Task FullDisk_ForTemporaryFiles_NamesTmpdir_AndLeavesNothingThere()
    {
        Skip.If(CurateProcess.CannotMount is not null, CurateProcess.CannotMount);
        WriteInput("in/chat.jsonl", records: 3000);
        var tmp = _temp.File("tmp");
        var pipeline = _temp.Write("p.yaml", "inputs: [in]\nstages: [normalize, near-dedup]\noutput:\n  dir: out\n");

        var result = await CurateProcess.RunAsync(["run", pipeline], tmpDirectory: tmp, mounts: [new PrivateMount(tmp, "size=64k", _temp.File("snapshot"))]);

        Assert.True(result.ExitCode == ExitCodes.RunFailed, result.ToString());
        Assert.True(result.Error.Contains("for temporary files; set TMPDIR to a folder with more room", StringComparison.Ordinal), result.ToString());
        Assert.DoesNotContain("unexpected error", result.Error, StringComparison.Ordinal);
        Assert.Empty(Files(_temp.File("snapshot")));
        Assert.Equal(["data.jsonl.incomplete", "manifest.json", "rejects.jsonl.incomplete"], Files(_temp.File("out")));
    }

    [SkippableFact]
    public async Task ReadOnlyOutputFolder_IsOneLine_AndNothingIsWritten()
    {
        Skip.If(CurateProcess.CannotMount is not null, CurateProcess.CannotMount);
        var input = WriteInput("in/chat.jsonl", records: 50);
        var locked = _temp.File("locked");
        var pipeline = _temp.Write("p.yaml", $"inputs: [in]\nstages: [normalize]\noutput:\n  dir: {locked}/out\n");

        var result = await CurateProcess.RunAsync(["run", pipeline], mounts: [new PrivateMount(locked, "ro", _temp.File("snapshot"))]);

        Assert.True(result.ExitCode == ExitCodes.RunFailed, result.ToString());
        Assert.Contains("read-only file system", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Empty(Files(_temp.File("snapshot")));
    }

    [Fact]
    public async Task FailedRerun_MovesTheEarlierOutputsAside_SoNoStaleFileLooksLikeItsResult()
    {
        WriteInput("in/chat.jsonl", records: 200);
        var pipeline = _temp.Write("p.yaml", "inputs: [in]\nstages: [normalize, validate]\noutput:\n  dir: out\n");
        var first = await CurateProcess.RunAsync(["run", pipeline]);
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        var earlierData = Hash(_temp.File("out/data.jsonl"));

        // The same folder, now with an input that cannot be read: the run fails as untrusted.
        _temp.Write("in/chat.jsonl", "not json\n");
        var second = await CurateProcess.RunAsync(["run", pipeline]);

        Assert.True(second.ExitCode == ExitCodes.SuspectResult, second.ToString());
        Assert.Equal(
            [".data.jsonl.previous", ".manifest.json.previous", ".rejects.jsonl.previous", "data.jsonl.incomplete", "manifest.json", "rejects.jsonl.incomplete"],
            Files(_temp.File("out")));
        Assert.Equal(earlierData, Hash(_temp.File("out/.data.jsonl.previous")));
        Assert.Contains(".data.jsonl.previous", second.Error, StringComparison.Ordinal);

        // A later successful run replaces everything, the kept earlier outputs and the partial ones included.
        WriteInput("in/chat.jsonl", records: 200);
        var third = await CurateProcess.RunAsync(["run", pipeline]);
        Assert.True(third.ExitCode == ExitCodes.Ok, third.ToString());
        Assert.Equal(["data.jsonl", "manifest.json", "rejects.jsonl"], Files(_temp.File("out")));
        Assert.Equal(earlierData, Hash(_temp.File("out/data.jsonl")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Interrupt_AtARandomMoment_LeavesACleanFolder(int seed)
    {
        var (pipeline, input, tmp) = BigRun();
        var earlier = await CompleteRunAsync(pipeline);
        var before = Hash(input);
        var delay = TimeSpan.FromMilliseconds(new Random(seed).Next(200, 2500));

        using var process = Process.Start(CurateProcess.StartInfo(["run", pipeline], tmp))!;
        await Task.Delay(delay);
        await CurateProcess.SignalAsync(process, CurateProcess.InterruptSignal());
        var result = await CurateProcess.WaitAsync(process, TimeSpan.FromMinutes(2));

        Assert.Equal(before, Hash(input));
        Assert.Empty(ScratchFiles(tmp));
        using var manifest = JsonDocument.Parse(File.ReadAllText(_temp.File("out/manifest.json")));
        var status = manifest.RootElement.GetProperty("status").GetString();
        if (result.ExitCode == ExitCodes.Ok)
        {
            // The signal came after the work was done: a complete, identical result, and it says so.
            Assert.Equal("completed", status);
            Assert.Equal(earlier, Hash(_temp.File("out/data.jsonl")));
            Assert.Equal(["data.jsonl", "manifest.json", "rejects.jsonl"], Files(_temp.File("out")));
            return;
        }

        Assert.True(result.ExitCode == ExitCodes.Interrupted, result.ToString());
        if (status == "completed")
        {
            // The signal came before the run reached its outputs (a slow start): the earlier result is untouched.
            Assert.Equal(earlier, Hash(_temp.File("out/data.jsonl")));
            Assert.Equal(["data.jsonl", "manifest.json", "rejects.jsonl"], Files(_temp.File("out")));
            Assert.Contains("interrupted", result.Error, StringComparison.Ordinal);
            return;
        }

        Assert.Equal("incomplete: cancelled", status);
        Assert.DoesNotContain("data.jsonl", Files(_temp.File("out")));
        Assert.DoesNotContain(Files(_temp.File("out")), name => name.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(earlier, Hash(_temp.File("out/.data.jsonl.previous")));
        Assert.Contains("interrupted", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondInterrupt_AbortsAtOnce_AndRemovesEveryTemporaryFile()
    {
        var (pipeline, input, tmp) = BigRun();
        var earlier = await CompleteRunAsync(pipeline);
        var before = Hash(input);

        using var process = Process.Start(CurateProcess.StartInfo(["run", pipeline], tmp))!;
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        await CurateProcess.SignalAsync(process, CurateProcess.InterruptSignal());
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        await CurateProcess.SignalAsync(process, CurateProcess.InterruptSignal());
        var result = await CurateProcess.WaitAsync(process, TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode is ExitCodes.Interrupted or ExitCodes.Ok, result.ToString());
        Assert.Equal(before, Hash(input));
        Assert.Empty(ScratchFiles(tmp));
        var left = Files(_temp.File("out"));
        Assert.DoesNotContain(left, name => name.EndsWith(".tmp", StringComparison.Ordinal));

        // Aborted at once, nothing was touched; stopped cleanly first, the earlier result was moved aside whole.
        var kept = left.Contains("data.jsonl") ? _temp.File("out/data.jsonl") : _temp.File("out/.data.jsonl.previous");
        Assert.Equal(earlier, Hash(kept));
    }

    [Fact]
    public async Task KilledProcess_LeavesTheEarlierOutputsIntact_AndTheNextRunSweepsItsLeftovers()
    {
        var (pipeline, input, tmp) = BigRun();
        var earlier = await CompleteRunAsync(pipeline);
        var before = Hash(input);

        using var process = Process.Start(CurateProcess.StartInfo(["run", pipeline], tmp))!;
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        await CurateProcess.SignalAsync(process, "KILL");
        var killed = await CurateProcess.WaitAsync(process, TimeSpan.FromMinutes(1));

        Assert.Equal(before, Hash(input));
        Assert.True(ScratchFiles(tmp).Count == 0, $"{string.Join(", ", ScratchFiles(tmp))}\n{killed}");
        Assert.Equal(earlier, Hash(_temp.File("out/data.jsonl")));
        using (var manifest = JsonDocument.Parse(File.ReadAllText(_temp.File("out/manifest.json"))))
        {
            Assert.Equal("completed", manifest.RootElement.GetProperty("status").GetString());
        }

        var rerun = await CurateProcess.RunAsync(["run", pipeline], tmp);
        Assert.True(rerun.ExitCode == ExitCodes.Ok, rerun.ToString());
        Assert.Equal(["data.jsonl", "manifest.json", "rejects.jsonl"], Files(_temp.File("out")));
        Assert.Equal(earlier, Hash(_temp.File("out/data.jsonl")));
    }

    private (string Pipeline, string Input, string Tmp) BigRun()
    {
        var input = WriteInput("in/chat.jsonl", records: 40_000);
        var pipeline = _temp.Write("p.yaml", "inputs: [in]\nstages: [normalize, validate, exact-dedup, near-dedup]\noutput:\n  dir: out\n");
        return (pipeline, input, _temp.File("tmp"));
    }

    private async Task<string> CompleteRunAsync(string pipeline)
    {
        var result = await CurateProcess.RunAsync(["run", pipeline], _temp.File("tmp"));
        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        return Hash(_temp.File("out/data.jsonl"));
    }

    private string WriteInput(string relative, int records, int emptyAnswerEvery = 0)
    {
        var text = new StringBuilder();
        for (var i = 0; i < records; i++)
        {
            var answer = emptyAnswerEvery > 0 && i % emptyAnswerEvery == 0
                ? string.Empty
                : $"Answer {i}: the {Words[i % Words.Length]} step comes after {Words[(i * 7) % Words.Length]}, then {Words[(i * 13) % Words.Length]} and {i * 31 % 1000} more details about case {i}.";
            text.Append(JsonSerializer.Serialize(new
            {
                id = $"r{i}",
                messages = new[]
                {
                    new { role = "user", content = $"Question {i}: how does {Words[(i * 3) % Words.Length]} relate to {Words[(i * 5) % Words.Length]} in run {i}?" },
                    new { role = "assistant", content = answer },
                },
            })).Append('\n');
        }

        return _temp.Write(relative, text.ToString());
    }

    private static readonly string[] Words =
        ["parsing", "caching", "sharding", "hashing", "sorting", "merging", "batching", "indexing", "streaming", "tokenising", "sampling", "ranking", "joining", "filtering"];

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Every file beneath a folder, hidden ones included, as sorted relative paths; empty when it does not exist.</summary>
    private static List<string> Files(string folder) => Directory.Exists(folder)
        ? [.. Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(file => Path.GetRelativePath(folder, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)]
        : [];

    /// <summary>curate's temporary files in a TMPDIR (the .NET runtime keeps its own diagnostic pipes there too).</summary>
    private static List<string> ScratchFiles(string folder) => [.. Files(folder).Where(name => name.StartsWith("curation-", StringComparison.Ordinal))];

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
